# The two commands of the README, and their helpers. All work is in scripts/satudata.
.PHONY: run test test-solrcloud start stop status install

run:      ## install what is missing, start the portal at http://127.0.0.1:5000 (Ctrl-C stops)
	@scripts/satudata run

test:     ## start or reuse the services and run the tests
	@scripts/satudata test

test-solrcloud:  ## the search and harvest tests against a two-node SolrCloud (not in CI)
	@scripts/satudata test-solrcloud

start:    ## like run, but in the background
	@scripts/satudata start

stop:     ## stop everything started by run/start
	@scripts/satudata stop

status:
	@scripts/satudata status

install:
	@scripts/satudata install
