"""Load benchmarks of the portal: a generated catalogue, reference endpoints
and a wrk runner. Run with `make bench`; never part of `make test`."""
