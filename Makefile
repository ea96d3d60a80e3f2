# slotnet — developer targets. `make check` before every commit.
GO        ?= go
GOBIN     ?= $(shell $(GO) env GOPATH)/bin
STATICCHECK ?= $(GOBIN)/staticcheck
GOTESTSUM ?= $(GOBIN)/gotestsum
GOTESTSUM_VERSION = v1.13.0
PKGS      ?= ./...
BENCHCOUNT ?= 6
FUZZTIME  ?= 20s

.PHONY: all test check lint fmt vet staticcheck tidy-check cover bench bench-smoke plot fuzz demo tools

all: check

## test: the race-enabled test suite (what README and CI run), through
## gotestsum: one line per package, then the failed tests with their
## output, the skipped ones with their reason; then the same for the
## separate module transport/interop (with its benchmarks run once); and
## last, on its own line, "N passed, N failed, N skipped" counting every
## test, subtest and example of both (CI reads it), printed even when a
## test fails. Test logs (zaptest) show only for failing tests.
test: $(GOTESTSUM)
	@rm -f test.json test-interop.json; \
	$(GOTESTSUM) --format pkgname --format-hide-empty-pkg --jsonfile test.json -- -race -count=1 $(PKGS); rc=$$?; \
	if [ "$(PKGS)" = "./..." ]; then $(MAKE) --no-print-directory test-interop || rc=1; fi; \
	count() { cat test.json test-interop.json 2>/dev/null | grep -c "\"Action\":\"$$1\",\"Package\":\"[^\"]*\",\"Test\""; }; \
	echo "$$(count pass) passed, $$(count fail) failed, $$(count skip) skipped"; \
	exit $$rc

$(GOTESTSUM):
	$(GO) install gotest.tools/gotestsum@$(GOTESTSUM_VERSION)

## check: lint, then the tests
check: lint test

lint: fmt vet staticcheck tidy-check lint-interop

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

$(STATICCHECK):
	$(GO) install honnef.co/go/tools/cmd/staticcheck@latest

tools: $(STATICCHECK) $(GOTESTSUM)
	$(GO) install golang.org/x/perf/cmd/benchstat@latest

## tidy-check: go.mod and go.sum are tidy
tidy-check:
	$(GO) mod tidy -diff

cover:
	$(GO) test -count=1 -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1

## bench: every benchmark, medians over BENCHCOUNT runs (see docs/benchmarks.md)
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=$(BENCHCOUNT) ./bench/... | tee bench.out
	$(GOBIN)/benchstat bench.out

## bench-smoke: every benchmark once, so a broken one fails CI
bench-smoke:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...

## plot: docs/dispatch.svg from bench.out (make bench first)
plot:
	$(GO) run ./bench/plot < bench.out > docs/dispatch.svg

## fuzz: each fuzz target for FUZZTIME
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## demo: the main demo: the fortune server and client and the chat (a
## server, two clients) in one process over the in-memory network, with
## the signal trace of each side (examples/demo; examples/signals is the
## signal/slot-only demo)
demo:
	$(GO) run ./examples/demo

## test-interop, lint-interop: the separate module transport/interop
## (net/http, gRPC, TLS, miekg/dns and websocket examples over the
## transports). Its own go.mod keeps those dependencies out of the main
## module; `make test` and `make lint` (so CI) run these targets.
INTEROP = transport/interop
.PHONY: test-interop lint-interop
test-interop: $(GOTESTSUM)
	@cd $(INTEROP) && $(GOTESTSUM) --format pkgname --jsonfile $(CURDIR)/test-interop.json -- -race -count=1 ./...
	@out=$$(cd $(INTEROP) && $(GO) test -run='^$$' -bench=. -benchtime=1x ./... 2>&1) || \
	  { echo "$$out"; echo "transport/interop: a benchmark failed"; exit 1; }

lint-interop: $(STATICCHECK)
	cd $(INTEROP) && $(GO) vet ./... && $(STATICCHECK) ./... && $(GO) mod tidy -diff
