# The two commands of the README, and their helpers. All work is in scripts/satudata.
.PHONY: run test start stop status install

run:      ## install what is missing, start the portal at http://127.0.0.1:5000 (Ctrl-C stops)
	@scripts/satudata run

test:     ## start or reuse the services and run the tests
	@scripts/satudata test

start:    ## like run, but in the background
	@scripts/satudata start

stop:     ## stop everything started by run/start
	@scripts/satudata stop

status:
	@scripts/satudata status

install:
	@scripts/satudata install
