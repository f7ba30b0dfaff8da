package engine

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/vnetpath/vnetpath/topology"
)

// Run answers queries and returns the report, results in query order.
// Sources are resolved once each and queries run in parallel. An
// [*InputError] for any query stops the run.
func (e *Engine) Run(queries []Query) (*Report, error) {
	rep := &Report{Snapshot: e.Summary(), Results: make([]Result, len(queries))}
	if e.tags != nil {
		rep.ServiceTags = &CatalogSummary{Cloud: e.tags.Cloud(), ChangeNumber: e.tags.ChangeNumber(), Tags: e.tags.Len()}
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

// Summary counts the snapshot's resources.
func (e *Engine) Summary() SnapshotSummary {
	return SnapshotSummary{Resources: e.snap.Resources(), Types: e.snap.Counts(), Skipped: e.snap.Skipped()}
}

// Group is the results of one workspace (or none) and one source, for
// people reading a profile.
type Group struct {
	Workspace string // ID, "" for checks not from a profile
	Source    string
	Results   []Result
	Reachable int // how many results are reachable
}

// Summary returns "reaches N of M endpoints".
func (g Group) Summary() string {
	return fmt.Sprintf("reaches %d of %d endpoints", g.Reachable, len(g.Results))
}

// Groups groups the report's results by workspace and source, keeping the
// order in which they first appear.
func (r *Report) Groups() []Group {
	var out []Group
	for _, res := range r.Results {
		i := slices.IndexFunc(out, func(g Group) bool { return g.Workspace == res.Workspace && g.Source == res.Source })
		if i < 0 {
			out = append(out, Group{Workspace: res.Workspace, Source: res.Source})
			i = len(out) - 1
		}
		out[i].Results = append(out[i].Results, res)
		if res.Reachable {
			out[i].Reachable++
		}
	}
	return out
}

// Name returns the short name of an ARM ID (for renderers).
func Name(id string) string { return topology.ShortName(id) }
