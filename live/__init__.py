"""The live loop: the jobs, the runner that claims and records each run, the APScheduler process,
the fast-clock replay, and the logging that tags every line with its job and run."""
