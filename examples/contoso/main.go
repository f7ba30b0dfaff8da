// Command contoso checks the Azure ML profile of the example estate in
// this directory, as another Go program would use vnetpath: it loads the
// snapshot, asks the engine for the profile of every workspace from every
// workload subnet, and reads the answers' fields — the verdict, the
// blocker that decided and the fixes — rather than parsing text.
//
//	go run ./examples/contoso                      # from the repository root
//	go run ./examples/contoso -snapshot DIR        # another estate
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

func main() {
	snapshot := flag.String("snapshot", "examples/contoso", "the estate's snapshot directory")
	flag.Parse()
	ok, err := run(*snapshot, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contoso:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run prints, for each workload subnet, how many endpoints of the profile
// it reaches, and for each that it does not, why and how to fix it. It
// reports whether every answer is reachable.
func run(snapshot string, w io.Writer) (bool, error) {
	res, err := azure.Load([]string{snapshot}, azure.Options{})
	if err != nil {
		return false, err
	}
	eng := engine.New(res.Snapshot, nil) // no service-tag catalog: tags match by name
	queries, err := eng.ProfileQueries(nil)
	if err != nil {
		return false, err
	}
	rep, err := eng.Run(queries)
	if err != nil {
		return false, err
	}
	for _, g := range rep.Groups() {
		fmt.Fprintf(w, "%s → workspace %s: %s\n", topology.ShortName(g.Source), topology.NameOf(g.Workspace), g.Summary())
		for _, r := range g.Results {
			if r.Reachable {
				continue
			}
			fmt.Fprintf(w, "  %s %s (%s)\n", r.Verdict, r.Destination, r.Purpose)
			if len(r.Blockers) > 0 {
				fmt.Fprintf(w, "    because: %s\n", blocker(r.Blockers[0]))
			}
			for _, f := range r.Fixes {
				fmt.Fprintf(w, "    fix (%s %s): %s\n", f.Kind, topology.NameOf(f.Resource), f.Change)
			}
		}
	}
	return rep.AllReachable(), nil
}

// blocker names what stopped a flow from the blocker's fields: its cause,
// the resource and, for a rule, its name and priority.
func blocker(b answer.Blocker) string {
	s := string(b.Cause) + " at " + topology.NameOf(b.Resource)
	if b.Rule != nil {
		s += fmt.Sprintf(" (rule %s, priority %d)", b.Rule.Name, b.Rule.Priority)
	}
	return s
}
