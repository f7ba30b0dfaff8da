package engine

import (
	"runtime"
	"slices"
	"sync"

	"github.com/vnetpath/vnetpath/answer"
)

// Run answers queries and returns the report, results in query order.
// Sources are resolved once each and queries run in parallel. An
// [*InputError] for any query stops the run.
func (e *Engine) Run(queries []Query) (*Report, error) {
	rep := &Report{Snapshot: e.Summary(), Results: make([]Result, len(queries))}
	if e.tags != nil {
		rep.ServiceTags = &answer.CatalogSummary{Cloud: e.tags.Cloud(), ChangeNumber: e.tags.ChangeNumber(), Tags: e.tags.Len()}
	}
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
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rep.Results[i], errs[i] = e.CheckFrom(srcs[queries[i].From], queries[i])
			}
		}()
	}
	for i := range queries {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, f := range e.snap.Warnings() {
		s := f.Error()
		if !seen[s] {
			seen[s] = true
			rep.Warnings = append(rep.Warnings, s)
		}
	}
	for _, r := range rep.Results {
		for _, wng := range r.Warnings {
			if !seen[wng] {
				seen[wng] = true
				rep.Warnings = append(rep.Warnings, wng)
			}
		}
	}
	return rep, nil
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
