"""Work that spans domains, above them: the only code that calls into two domains' services.

A domain package (unions, members, enterprises, users, audit) imports no other domain except
its tables (`<domain>.models`, read only); when one change must touch two domains - a union
merge moves its members, founding an enterprise's union admits its founding members - the
orchestration lives here, with its routes. See docs/architecture.md and the import-linter
contracts in pyproject.toml.
"""
