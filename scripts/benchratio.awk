# benchratio.awk reads `go test -bench` output of ./storage/ and prints
# AddProduct's time over the durable-commit floor's (one INSERT per durable
# transaction, the store's pragmas): issue 15 wants at most 2x, measured in
# the same run. Two figures: the medians of BenchmarkAddProduct and of
# BenchmarkDurableCommitFloor over the runs of -count, which run minutes
# apart while this disk's commit time drifts; and BenchmarkAddProductVsFloor,
# blocks of adds and of floor commits alternately, the median of the
# pairs' ratios, which see nearly the same disk (on a slow disk it flatters
# the add: docs/BENCHMARKS.md). Used by `make bench`; plain POSIX awk.

function median(v, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
		v[j + 1] = t
	}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

$1 ~ /^BenchmarkAddProduct(-[0-9]+)?$/ && $4 == "ns/op" { add[++nadd] = $3 }
$1 ~ /^BenchmarkDurableCommitFloor(-[0-9]+)?$/ && $4 == "ns/op" { floor[++nfloor] = $3 }
$1 ~ /^BenchmarkAddProductVsFloor(-[0-9]+)?$/ {
	for (i = 5; i < NF; i += 2) if ($(i + 1) == "x-floor") pair[++npair] = $i
}

END {
	if (nadd == 0 || nfloor == 0) {
		print "benchratio: no BenchmarkAddProduct or BenchmarkDurableCommitFloor result in the output" > "/dev/stderr"
		exit 1
	}
	a = median(add, nadd)
	f = median(floor, nfloor)
	printf "\nAddProduct %.0f us / durable-commit floor %.0f us (medians of %d and %d runs, minutes apart) = %.2fx the floor (target <= 2x)\n",
		a / 1000, f / 1000, nadd, nfloor, a / f
	if (npair > 0)
		printf "AddProductVsFloor (blocks of adds and of floor commits alternately): %.2fx the floor, median of %d runs (target <= 2x)\n",
			median(pair, npair), npair
}
