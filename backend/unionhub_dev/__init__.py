"""Development tools: the demo data set (demo/) and the benchmark (bench/).

Installed with the dev environment (`make install`), never in the production image; the
`unionhub` package never imports it (tests/architecture/test_dev_package.py checks that).
"""
