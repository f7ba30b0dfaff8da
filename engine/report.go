package engine

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Run answers queries and returns the report, results in query order.
// Sources are resolved once each and queries run in parallel, as
// [Engine.RunEach] runs them. An [*InputError] for any query stops the run.
func (e *Engine) Run(queries []Query) (*Report, error) {
	rep := e.NewReport()
	rep.Results = make([]Result, len(queries))
	warnings, err := e.RunEach(queries, func(i int, r Result) error {
		rep.Results[i] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Warnings = warnings
	return rep, nil
}

// NewReport returns the report of no results that [Engine.Run] fills: the
// snapshot's summary and, with a catalog, the catalog's. A caller of
// [Engine.RunEach] writes it before the results.
func (e *Engine) NewReport() *Report {
	rep := &Report{Snapshot: e.Summary()}
	if e.tags != nil {
		rep.ServiceTags = &answer.CatalogSummary{Cloud: e.tags.Cloud(), ChangeNumber: e.tags.ChangeNumber(), Tags: e.tags.Len()}
	}
	return rep
}

// RunEach answers queries as [Engine.Run] does, but hands each result to fn
// instead of holding them all: fn gets the results in query order (i is
// the query's index), each as soon as it and every one before it are
// known, while later queries are still being answered on every core. Only
// the results that finished ahead of an earlier one are held, at most
// 1,536 per core. fn is called from the goroutine that called RunEach, one
// result at a time. A run whose sources lie in more VNets than
// [Options.MemoVNets] is answered in segments, each on an engine of its
// own, so that what one memoised is freed when it ends.
//
// It returns the warnings of the report Run would return: the snapshot's,
// then those of the results in order, each once, and one for a warning
// that the results of several VNets or NSG rules make alike, counting
// them (see groupWarnings). An [*InputError] for a query, or an error
// from fn, stops the run and is returned; the results before that query
// have been handed to fn.
func (e *Engine) RunEach(queries []Query, fn func(i int, r Result) error) ([]string, error) {
	ws, err := e.runEach(queries, fn)
	if err != nil {
		return nil, err
	}
	return e.groupWarnings(ws), nil
}

// runEach is RunEach without merging the warnings that say the same of
// several subjects: [Engine.ProfileEach] merges them over all its runs.
func (e *Engine) runEach(queries []Query, fn func(i int, r Result) error) ([]string, error) {
	srcs := map[string]Source{}
	for _, q := range queries {
		if _, ok := srcs[q.From]; ok {
			continue
		}
		s, err := e.ResolveSource(q.From)
		if err != nil {
			return nil, err
		}
		srcs[q.From] = s
	}
	w := newWarnings(e)
	cuts := segments(queries, srcs, e.opts.MemoVNets)
	start := 0
	for _, end := range cuts {
		eng := e
		if len(cuts) > 1 {
			eng = e.fresh()
		}
		off := start
		err := eng.each(queries[start:end], srcs, func(i int, r Result) error {
			w.add(r.Warnings)
			return fn(off+i, r)
		})
		if err != nil {
			return nil, err
		}
		start = end
	}
	return w.list, nil
}

// segments cuts queries, in order, where the sources of the next segment
// begin: each segment's sources lie in at most n VNets, and holds at least
// 4n queries, so that sources in many VNets interleaved do not make
// segments of a few queries each. It returns the end of each segment; a
// single segment when n is negative.
func segments(queries []Query, srcs map[string]Source, n int) []int {
	if n < 0 {
		return []int{len(queries)}
	}
	var cuts []int
	start := 0
	vnets := map[string]bool{}
	prev := ""
	for i, q := range queries {
		if i > 0 && q.From == prev {
			continue // the same source as the query before: its VNet is counted
		}
		prev = q.From
		v := topology.Key(srcs[q.From].Subnet.VNet)
		if vnets[v] {
			continue
		}
		if len(vnets) >= n && i-start >= 4*n {
			cuts = append(cuts, i)
			start = i
			clear(vnets)
		}
		vnets[v] = true
	}
	return append(cuts, len(queries))
}

// warningList gathers a report's warnings in order, each once.
type warningList struct {
	seen map[string]bool
	list []string
}

// newWarnings starts the warnings of a report with the snapshot's.
func newWarnings(e *Engine) *warningList {
	w := &warningList{seen: map[string]bool{}}
	for _, f := range e.snap.Warnings() {
		w.add([]string{f.Error()})
	}
	return w
}

func (w *warningList) add(ws []string) {
	for _, s := range ws {
		if !w.seen[s] {
			w.seen[s] = true
			w.list = append(w.list, s)
		}
	}
}

// done is a query's answer as a worker of [Engine.each] hands it back,
// in a run's list: its place in the list gives the query.
type done struct {
	r   Result
	err error
}

// maxChunk is the most queries a worker of [Engine.each] takes at once:
// enough for the profiles of every subnet of a spoke (four subnets, a
// workspace's 36 queries each, make 144), few enough that the runs of an
// estate spread evenly over the cores.
const maxChunk = 512

// runsPerCore is how many runs per core [Engine.each] has in flight at
// most. With two, the workers stalled whenever the goroutine calling fn
// (the CLI's, which encodes and writes each answer) waited for a core:
// at 1,000 spokes the CLI took 8% longer than with three, and four or
// eight did no better than three.
const runsPerCore = 3

// chunks cuts queries, in order, into runs of consecutive queries whose
// sources lie in one VNet, of at most maxChunk each, and returns where
// each run starts.
func chunks(queries []Query, srcs map[string]Source) []int {
	var starts []int
	vnet := func(i int) string {
		if s := srcs[queries[i].From]; s.Subnet != nil {
			return topology.Key(s.Subnet.VNet)
		}
		return queries[i].From
	}
	var prev string // the VNet of the last source met
	for i := range queries {
		full := i > 0 && i-starts[len(starts)-1] == maxChunk
		if i > 0 && queries[i].From == queries[i-1].From && !full {
			continue
		}
		v := vnet(i)
		if i == 0 || v != prev || full {
			starts = append(starts, i)
		}
		prev = v
	}
	return starts
}

// each answers queries on every core and calls fn with each result in
// query order. Workers take the queries of one VNet's sources a run at a
// time (see chunks): the first answers from a VNet build what the others
// read (its subnets' forwarding states and classes, the walks to its DNS
// server, the class walks the other members replay), and a worker that
// took queries of the same VNet at the same time waited for them or made
// them again. With a source's queries per run, at 1,000 spokes one class
// walk in seven was made twice, and the analysis took a quarter longer.
// A query at a time cost a hand-over between goroutines per query. A
// worker takes a run only when fewer than runsPerCore runs per core are
// out ahead of the next result fn is waiting for, so the results held out
// of order are bounded (1,536 per core).
func (e *Engine) each(queries []Query, srcs map[string]Source, fn func(i int, r Result) error) error {
	if len(queries) == 0 {
		return nil
	}
	starts := chunks(queries, srcs)
	end := func(c int) int {
		if c+1 < len(starts) {
			return starts[c+1]
		}
		return len(queries)
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	window := min(len(starts), runsPerCore*workers)
	// A worker takes a token before it takes the next run, and the
	// goroutine calling fn gives one back for each run it has handed on,
	// so that at most window runs are out. Workers take runs themselves,
	// in order, from a counter: when a goroutine handed them out, a
	// worker that finished a run waited for it to get a core, a few
	// hundred times a run at 1,000 spokes.
	tokens := make(chan struct{}, window)
	var taken atomic.Int64
	type run struct {
		c  int
		ds []done
	}
	results := make(chan run, window)
	// The lists of answers a run hands back are used again once fn has
	// had them: answers are large, and a list per run was 7% of what a
	// whole-estate analysis allocated.
	free := make(chan []done, window+workers)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var spare *walker // what the worker's last check left (recycle)
			for {
				select {
				case <-quit: // fn failed, or a run met an error
					return
				case tokens <- struct{}{}:
				}
				select {
				case <-quit:
					return
				default:
				}
				c := int(taken.Add(1) - 1)
				if c >= len(starts) {
					return
				}
				var out []done
				select {
				case out = <-free:
				default:
					out = make([]done, 0, end(c)-starts[c])
				}
				// A run holds each source's queries in a row: the source
				// is looked up when it changes.
				var from string
				var src Source
				for _, q := range queries[starts[c]:end(c)] {
					if q.From != from || src.Subnet == nil {
						from, src = q.From, srcs[q.From]
					}
					r, err := e.checkFrom(src, q, &spare)
					out = append(out, done{r, err})
					if err != nil {
						break // the run stops at its first error
					}
				}
				results <- run{c, out}
			}
		})
	}
	// hand gives fn the answers of run c, in order, up to the first
	// error, and the run's list back to the workers.
	hand := func(c int, ds []done) error {
		for k, d := range ds {
			if d.err != nil {
				return d.err
			}
			if err := fn(starts[c]+k, d.r); err != nil {
				return err
			}
		}
		clear(ds) // what fn was handed is its own; the list holds none of it
		select {
		case free <- ds[:0]:
		default:
		}
		return nil
	}
	held := make([][]done, window)
	var err error
	for want := 0; want < len(starts) && err == nil; {
		r := <-results
		held[r.c%window] = r.ds
		for ; err == nil && want < len(starts) && held[want%window] != nil; want++ {
			ds := held[want%window]
			held[want%window] = nil
			err = hand(want, ds)
			<-tokens
		}
	}
	close(quit)
	// A worker never blocks on results: at most window runs are out.
	wg.Wait()
	return err
}

// Summary counts the snapshot's resources and lists those it references
// or declares but lacks, each with who references it and the az command
// that exports it (SPEC §2).
func (e *Engine) Summary() answer.SnapshotSummary {
	sum := answer.SnapshotSummary{Resources: e.snap.Resources(), Types: e.snap.Counts(), Skipped: e.snap.Skipped()}
	for _, m := range e.snap.Missing() {
		mr := answer.MissingResource{ID: m.ID, Type: m.Type, Export: m.Export}
		for _, r := range m.ReferencedBy {
			if !slices.Contains(mr.ReferencedBy, r.ID) {
				mr.ReferencedBy = append(mr.ReferencedBy, r.ID)
			}
		}
		sum.Missing = append(sum.Missing, mr)
	}
	return sum
}
