package bench

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

// The scale benchmarks answer the question users ask of a whole estate —
// the Azure ML profile of every workspace from every workload subnet — on
// generated hub-and-spoke estates (bench/estategen, seed 1) with the public
// service-tag file, as `vnetpath check --snapshot DIR --service-tags FILE`
// without --from and --to does. README.md gives the method and figures.

// loadedEstate is a generated estate loaded into a snapshot, with its
// profile queries.
type loadedEstate struct {
	snap    *topology.Snapshot
	queries []engine.Query
}

var (
	loadedMu sync.Mutex
	loaded   = map[int]*loadedEstate{}
)

// loadEstate loads the generated estate of the given size once.
func loadEstate(b *testing.B, spokes int) *loadedEstate {
	b.Helper()
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if l, ok := loaded[spokes]; ok {
		return l
	}
	res, err := azure.LoadFS(generated(spokes).fsys, azure.Options{})
	if err != nil {
		b.Fatal(err)
	}
	qs, err := engine.New(res.Snapshot, nil).ProfileQueries(nil)
	if err != nil {
		b.Fatal(err)
	}
	l := &loadedEstate{snap: res.Snapshot, queries: qs}
	loaded[spokes] = l
	return l
}

// BenchmarkEstateRun measures the analysis alone — Engine.Run over the
// Azure ML profile of every workload subnet, with the public catalog —
// on the shared path and on the per-pair baseline (Options.PerPair: every
// (source, destination) pair walked alone, the single-flow check called
// for every pair), back to back in each iteration, each from a fresh
// engine and a collected heap, and reports both times (medians) and their
// ratio, and the CPU time each took (user and system, medians; on Unix).
// Beside them it reports what only holding the answers costs: copying the
// results the shared run returned into fresh memory on every core
// (copyAnswers), with no analysis at all (copy-s, copy-cpu-s). Sizes: 100
// spokes, or those -estate-spokes lists; with -run-shared-only the
// baseline is left out (it takes minutes at 1,000 spokes).
func BenchmarkEstateRun(b *testing.B) {
	cat := publicCatalog()
	if cat == nil {
		b.Skip("skipping: ../shared/testdata/servicetags is absent")
	}
	skipManyIterations(b)
	for _, spokes := range cliSizes() {
		b.Run(fmt.Sprintf("spokes=%d", spokes), func(b *testing.B) {
			l := loadEstate(b, spokes)
			// One untimed run first: the catalog's expansions and the
			// process's heap are then warm for both paths alike.
			if _, err := engine.New(l.snap, cat).Run(l.queries); err != nil {
				b.Fatal(err)
			}
			var shared, perPair, sharedCPU, perPairCPU, copies, copyCPU []float64
			var results int
			for b.Loop() {
				// Each timed run starts from a collected heap, as a
				// process does once its estate is loaded: otherwise it
				// pays for marking the answers and copies the iteration
				// before it left behind.
				runtime.GC()
				start, cpu0 := time.Now(), cpuSeconds()
				rep, err := engine.New(l.snap, cat).Run(l.queries)
				if err != nil {
					b.Fatal(err)
				}
				shared, sharedCPU = append(shared, time.Since(start).Seconds()), append(sharedCPU, cpuSeconds()-cpu0)
				results = len(rep.Results)
				start, cpu0 = time.Now(), cpuSeconds()
				held := copyAnswers(rep.Results)
				copies, copyCPU = append(copies, time.Since(start).Seconds()), append(copyCPU, cpuSeconds()-cpu0)
				for _, i := range []int{0, results / 2, results - 1} {
					if !reflect.DeepEqual(held[i], rep.Results[i]) {
						b.Fatalf("the copy of answer %d differs from it", i)
					}
				}
				held = nil
				if *sharedOnly {
					continue
				}
				rep = nil
				runtime.GC()
				start, cpu0 = time.Now(), cpuSeconds()
				if _, err := engine.NewWithOptions(l.snap, cat, engine.Options{PerPair: true}).Run(l.queries); err != nil {
					b.Fatal(err)
				}
				perPair, perPairCPU = append(perPair, time.Since(start).Seconds()), append(perPairCPU, cpuSeconds()-cpu0)
			}
			b.ReportMetric(median(shared), "shared-s")
			if len(perPair) > 0 {
				b.ReportMetric(median(perPair), "per-pair-s")
				b.ReportMetric(median(perPair)/median(shared), "speedup")
			}
			b.ReportMetric(median(copies), "copy-s")
			if median(sharedCPU) > 0 { // 0 where CPU time is not read
				b.ReportMetric(median(sharedCPU), "shared-cpu-s")
				b.ReportMetric(median(copyCPU), "copy-cpu-s")
				if len(perPairCPU) > 0 {
					b.ReportMetric(median(perPairCPU), "per-pair-cpu-s")
				}
			}
			b.ReportMetric(float64(results), "results")
		})
	}
}

// copyAnswers returns a copy of rs in fresh memory, made on every core:
// each result with its own lists (addresses, workspaces, blockers, fixes,
// warnings and the like) and its hop list, hops and steps, except that a
// hop list the run handed to several results is copied once per core, as
// the run shares it. It is what the answers cost to build and hold with
// no analysis behind them: the least any run that returns them takes.
func copyAnswers(rs []answer.Result) []answer.Result {
	out := make([]answer.Result, len(rs))
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(rs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(rs); lo += chunk {
		hi := min(lo+chunk, len(rs))
		wg.Go(func() {
			hops := map[*answer.Hop][]answer.Hop{}
			for i := lo; i < hi; i++ {
				r := rs[i]
				r.Workspaces, r.Addresses = slices.Clone(r.Workspaces), slices.Clone(r.Addresses)
				r.Blockers, r.Fixes, r.Missing = slices.Clone(r.Blockers), slices.Clone(r.Fixes), slices.Clone(r.Missing)
				r.Warnings, r.Assumptions = slices.Clone(r.Warnings), slices.Clone(r.Assumptions)
				r.Parts, r.ReverseLookups, r.Then = slices.Clone(r.Parts), slices.Clone(r.ReverseLookups), slices.Clone(r.Then)
				if r.DNS != nil {
					d := *r.DNS
					r.DNS = &d
				}
				if r.ReturnPath != nil {
					p := *r.ReturnPath
					r.ReturnPath = &p
				}
				if len(r.Hops) > 0 {
					if c, ok := hops[&r.Hops[0]]; ok {
						r.Hops = c
					} else {
						k := &r.Hops[0]
						r.Hops = slices.Clone(r.Hops)
						for j := range r.Hops {
							h := &r.Hops[j]
							h.Steps, h.Rules = slices.Clone(h.Steps), slices.Clone(h.Rules)
						}
						hops[k] = r.Hops
					}
				}
				out[i] = r
			}
		})
	}
	wg.Wait()
	return out
}

// sharedOnly leaves the per-pair baseline out of BenchmarkEstateRun.
var sharedOnly = flag.Bool("run-shared-only", false, "BenchmarkEstateRun: measure the shared path alone")

// skipManyIterations skips a whole-estate benchmark when a fixed count of
// more than five iterations is asked for: CI runs every benchmark at
// -benchtime 100x and these once more at 1x (.ci/run); a hundred
// whole-estate runs would take many minutes there.
func skipManyIterations(b *testing.B) {
	if n, ok := fixedIterations(); ok && n > 5 {
		b.Skipf("whole-estate benchmarks are skipped at -benchtime %dx; run them with -benchtime 1x to 5x", n)
	}
}

// BenchmarkEstateJSON measures writing the JSON of a whole-estate report:
// render.JSON (an encoder without reflection, one result per line) against
// encoding/json marshalling the same report with indentation, as the CLI
// did before. The report is the Azure ML profile of the 100-spoke estate
// with the public catalog.
func BenchmarkEstateJSON(b *testing.B) {
	cat := publicCatalog()
	if cat == nil {
		b.Skip("skipping: ../shared/testdata/servicetags is absent")
	}
	skipManyIterations(b)
	l := loadEstate(b, 100)
	rep, err := engine.New(l.snap, cat).Run(l.queries)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		renderJSON(b, rep)
		b.ReportMetric(float64(len(rep.Results)), "results")
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		var n int64
		for b.Loop() {
			c := &countWriter{}
			enc := json.NewEncoder(c)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rep); err != nil {
				b.Fatal(err)
			}
			n = c.n
		}
		b.SetBytes(n)
	})
}

// renderJSON runs b's loop over render.JSON of rep, counting the bytes.
func renderJSON(b *testing.B, rep *engine.Report) {
	var n int64
	for b.Loop() {
		c := &countWriter{}
		if err := render.JSON(c, rep); err != nil {
			b.Fatal(err)
		}
		n = c.n
	}
	b.SetBytes(n)
}

// BenchmarkEstateText measures writing the text of a whole-estate report
// (render.Text: the summary matrix, the failures grouped by cause, the
// reachable answers counted by endpoint) against render.JSON on the same
// report: the Azure ML profile with the public catalog, at 100 spokes or
// the sizes -estate-spokes lists. It reports the lines and bytes of text.
func BenchmarkEstateText(b *testing.B) {
	cat := publicCatalog()
	if cat == nil {
		b.Skip("skipping: ../shared/testdata/servicetags is absent")
	}
	skipManyIterations(b)
	for _, spokes := range cliSizes() {
		l := loadEstate(b, spokes)
		rep, err := engine.New(l.snap, cat).Run(l.queries)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("spokes=%d/text", spokes), func(b *testing.B) {
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := render.Text(&out, rep); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(out.Len()))
			b.ReportMetric(float64(bytes.Count(out.Bytes(), []byte("\n"))), "lines")
			b.ReportMetric(float64(len(rep.Results)), "results")
		})
		b.Run(fmt.Sprintf("spokes=%d/json", spokes), func(b *testing.B) { renderJSON(b, rep) })
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// BenchmarkEstateCLI runs `vnetpath check --snapshot DIR --service-tags
// FILE --format json > FILE` end to end, as a user would, on generated
// estates written to a temporary directory, and reports the wall time,
// the CPU time (user and system) and the peak resident set of the
// process. The binary is built once from ../cmd/vnetpath. Beside them it
// reports what writing the output alone costs: the same number of bytes
// written to a new file in the same directory, in writes of the CLI's
// size, right after each run and into the memory its output held
// (write-s, write-cpu-s; see writeFloor). Sizes: 100 spokes, and 1,000
// and 10,000 when asked for with -estate-spokes.
func BenchmarkEstateCLI(b *testing.B) {
	cat := filepath.Join("..", "..", "shared", "testdata", "servicetags", "ServiceTags_Public_20251028.json")
	if _, err := os.Stat(cat); err != nil {
		b.Skip("skipping: ../shared/testdata/servicetags is absent")
	}
	skipManyIterations(b)
	bin := vnetpathBinary(b)
	for _, spokes := range cliSizes() {
		b.Run(fmt.Sprintf("spokes=%d", spokes), func(b *testing.B) {
			dir := estateDir(b, spokes)
			out := filepath.Join(b.TempDir(), "out.json")
			var walls, cpus, rss, writes, writeCPU []float64
			var size int64
			for b.Loop() {
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				cmd := exec.Command(bin, "check", "--snapshot", dir, "--service-tags", cat, "--format", "json")
				cmd.Stdout = f
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				start := time.Now()
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				peak := watchPeakRSS(cmd.Process.Pid)
				err = cmd.Wait()
				wall := time.Since(start)
				hwm := peak()
				f.Close()
				if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
					b.Fatalf("vnetpath check exited %d (%v): %s", code, err, stderr.String())
				}
				walls = append(walls, wall.Seconds())
				cpus = append(cpus, (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds())
				if hwm > 0 {
					rss = append(rss, hwm/1024)
				}
				st, _ := os.Stat(out)
				size = st.Size()
				// The run wrote into the pages of the previous output,
				// which os.Create freed just before; the floor gets the
				// same by freeing this one first.
				if err := os.Truncate(out, 0); err != nil {
					b.Fatal(err)
				}
				start, cpu0 := time.Now(), cpuSeconds()
				if err := writeFloor(filepath.Join(filepath.Dir(out), "floor.bin"), size); err != nil {
					b.Fatal(err)
				}
				writes, writeCPU = append(writes, time.Since(start).Seconds()), append(writeCPU, cpuSeconds()-cpu0)
			}
			b.ReportMetric(median(walls), "wall-s")
			b.ReportMetric(median(cpus), "cpu-s")
			b.ReportMetric(median(writes), "write-s")
			if median(writeCPU) > 0 {
				b.ReportMetric(median(writeCPU), "write-cpu-s")
			}
			if len(rss) > 0 {
				b.ReportMetric(median(rss), "peak-RSS-MB")
			}
			b.ReportMetric(float64(size)/1e6, "out-MB")
		})
	}
}

// writeFloor writes size bytes to a new file named name, in writes of
// 256 KiB as the CLI makes them (render's flushAt), and removes it: what
// the output of a run costs to write here with nothing computed.
func writeFloor(name string, size int64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer os.Remove(name)
	line := []byte(`{"source":"/subscriptions/0b5e7a55-0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"},` + "\n")
	buf := bytes.Repeat(line, 256<<10/len(line)+1)[:256<<10]
	for left := size; left > 0; left -= int64(len(buf)) {
		if _, err := f.Write(buf[:min(int64(len(buf)), left)]); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// watchPeakRSS reads the peak resident set of process pid (VmHWM of
// /proc/PID/status, in KiB) every few milliseconds until the returned
// function is called, which returns the last value read; 0 where /proc
// does not say. The peak the kernel reports when the process is waited
// for (ru_maxrss) is not the child's: a child that os/exec starts shares
// the parent's memory until it execs, and Linux keeps the larger of the
// two peaks, so the 100-spoke CLI run reported the benchmark's own 1 GB.
func watchPeakRSS(pid int) func() float64 {
	status := fmt.Sprintf("/proc/%d/status", pid)
	var last float64
	read := func() {
		data, err := os.ReadFile(status)
		if err != nil {
			return // gone, or no /proc
		}
		for line := range strings.Lines(string(data)) {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				if kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64); err == nil && kb > last {
					last = kb
				}
			}
		}
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-stopped
		return last
	}
}

// cliSizes returns the estate sizes of BenchmarkEstateCLI: 100 spokes, or
// those -estate-spokes lists.
func cliSizes() []int {
	if len(estateSpokes) > 0 {
		return estateSpokes
	}
	return []int{100}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// vnetpathBinary builds cmd/vnetpath once into a temporary directory.
func vnetpathBinary(b *testing.B) string {
	b.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vnetpath-bench-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "vnetpath")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/vnetpath").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ../cmd/vnetpath: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	return binPath
}

var (
	dirsMu sync.Mutex
	dirs   = map[int]string{}
)

// estateDir writes the generated estate of the given size to a temporary
// directory once per test binary.
func estateDir(b *testing.B, spokes int) string {
	b.Helper()
	dirsMu.Lock()
	defer dirsMu.Unlock()
	if d, ok := dirs[spokes]; ok {
		return d
	}
	d, err := os.MkdirTemp("", fmt.Sprintf("vnetpath-estate-%d-", spokes))
	if err != nil {
		b.Fatal(err)
	}
	e, err := estategen.GenerateWith(estateOptions(spokes))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.WriteDir(d); err != nil {
		b.Fatal(err)
	}
	dirs[spokes] = d
	return d
}

// TestMain removes the estates BenchmarkEstateCLI wrote.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range dirs {
		os.RemoveAll(d)
	}
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// estateSpokes lists the estate sizes of the CLI benchmark, from
// -estate-spokes (comma-separated).
var estateSpokes intList

// estateWorkspaces is the number of Azure ML workspaces of the generated
// estates, from -estate-workspaces (0: the generator's default, 3).
var estateWorkspaces = flag.Int("estate-workspaces", 0, "Azure ML workspaces of the generated estates (1..10; default 3)")

func init() {
	flag.Var(&estateSpokes, "estate-spokes", "comma-separated estate sizes (spokes) for BenchmarkEstateCLI; default 100")
}

// estateOptions are the options of every generated estate of the given
// size: seed 1 and -estate-workspaces.
func estateOptions(spokes int) estategen.Options {
	return estategen.Options{Spokes: spokes, Seed: 1, Workspaces: *estateWorkspaces}
}

// intList is a flag of comma-separated integers.
type intList []int

func (l *intList) String() string { return fmt.Sprint([]int(*l)) }

func (l *intList) Set(s string) error {
	*l = nil
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || n > estategen.MaxSpokes {
			return fmt.Errorf("%q is not a number of spokes (0..%d)", f, estategen.MaxSpokes)
		}
		*l = append(*l, n)
	}
	return nil
}
