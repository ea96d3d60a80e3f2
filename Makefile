# slotnet — developer targets. `make check` before every commit.
GO        ?= go
GOBIN     ?= $(shell $(GO) env GOPATH)/bin
STATICCHECK ?= $(GOBIN)/staticcheck
BENCHCOUNT ?= 6
FUZZTIME  ?= 20s

.PHONY: all test check lint fmt vet staticcheck tidy-check cover bench bench-smoke plot fuzz demo tools

all: check

## test: the race-enabled test suite (what README and CI run); it ends with
## a "N passed, N failed" line counting every test, subtest and example
test:
	@$(GO) test -race -count=1 -v ./... > test.out 2>&1; rc=$$?; \
	if [ $$rc -ne 0 ]; then cat test.out; else grep -E '^(ok|FAIL|\?)[[:space:]]' test.out; fi; \
	echo "$$(grep -c -- '--- PASS' test.out) passed, $$(grep -c -- '--- FAIL' test.out) failed, $$(grep -c -- '--- SKIP' test.out) skipped"; \
	exit $$rc

## check: lint, then the tests
check: lint test

lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

$(STATICCHECK):
	$(GO) install honnef.co/go/tools/cmd/staticcheck@latest

tools: $(STATICCHECK)
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

## demo: the main demo
demo:
	$(GO) run ./examples/signals
