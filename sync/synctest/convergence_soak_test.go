package synctest_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// soak is how long TestConvergenceSoak runs (`make soak`, SOAK=30m); 0
// skips it, so `go test ./...` keeps only the fixed seed of TestMain.
var soak = flag.Duration("soak", 0, "run TestConvergenceSoak for this long, with fresh random seeds")

// soakChecks is the number of cases run from each seed.
const soakChecks = 10

// TestConvergenceSoak runs the convergence test against both servers with
// fresh random seeds until the -soak duration has passed, and names the
// seed of every failure so that it can be replayed with the fixed-seed
// test:
//
//	go test -tags migrated_fynedo -run '^TestConvergence$' -rapid.seed=N ./sync/synctest/
//
// (TestConvergenceReference for the reference server). rapid prints the
// seed of the failing case itself, and shrinks it first.
func TestConvergenceSoak(t *testing.T) {
	if *soak <= 0 {
		t.Skip("soak runs only with -soak=DURATION (make soak)")
	}
	seedFlag, checksFlag := flag.Lookup("rapid.seed"), flag.Lookup("rapid.checks")
	if err := checksFlag.Value.Set(strconv.Itoa(soakChecks)); err != nil {
		t.Fatal(err)
	}
	start, deadline := time.Now(), time.Now().Add(*soak)
	cases := 0
	var failed []string
	for i := 0; time.Now().Before(deadline); i++ {
		seed := rand.Uint64() | 1 // never 0: rapid takes 0 for "pick one"
		if err := seedFlag.Value.Set(strconv.FormatUint(seed, 10)); err != nil {
			t.Fatal(err)
		}
		name, test := "TestConvergence", TestConvergence
		if i%2 == 1 {
			name, test = "TestConvergenceReference", TestConvergenceReference
		}
		ok := t.Run(name+"/seed="+strconv.FormatUint(seed, 10), test)
		cases += soakChecks
		if !ok {
			// The failure goes on record and the soak goes on: one run
			// names every failing seed it met.
			failed = append(failed, fmt.Sprintf("go test -tags migrated_fynedo -run '^%s$' -rapid.seed=%d -rapid.checks=%d ./sync/synctest/", name, seed, soakChecks))
			t.Logf("soak: FAILED from seed %d (%s); replay the shrunk case with the -rapid.seed rapid printed above, or all %d cases with:\n  %s",
				seed, name, soakChecks, failed[len(failed)-1])
		}
		t.Logf("soak: %d cases from %d seeds in %v, %d failed", cases, i+1, time.Since(start).Round(time.Second), len(failed))
	}
	if len(failed) > 0 {
		t.Errorf("soak: %d of the seeds failed; replay with:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
}
