"""`python -m unionhub_dev.bench` (`make bench`): the register at a million members, measured.

Builds (or reuses) the database `unionhub_bench` with the demo union tree, 1,000,000 members
and 50,000 enterprises, starts the real backend under uvicorn on a loopback port, and measures
latency and throughput of the member list, name search, member detail and unionization-gap
reads, the time of a 100,000-row spreadsheet import and export, and the backend's peak memory.
Results are printed and written into docs/benchmarks.md. All traffic stays on 127.0.0.1, and
every load loop is bounded in requests and in time.
"""
