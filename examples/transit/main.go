// Command transit checks traffic between spokes of two hubs that forward
// through network virtual appliances (NICs with IP forwarding): spoke A →
// appliance of hub A → appliance of hub B → spoke B. It prints each path
// hop by hop from the answer's hops, and for the flow that fails — spoke
// C's half of its peering does not allow forwarded traffic — the blocker
// and the fix, with its az command and the ARM patch that applies it; then
// it applies the patch to the snapshot's files in memory and checks the
// flow again, so a fix is seen to work before it is made.
//
//	go run ./examples/transit                      # from the repository root
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

func main() {
	snapshot := flag.String("snapshot", "examples/transit", "the estate's snapshot directory")
	flag.Parse()
	if err := run(*snapshot, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "transit:", err)
		os.Exit(2)
	}
}

// flows are the checks: VM to VM across the two hubs, both ways, and to
// the spoke whose peering drops forwarded traffic.
var flows = []engine.Query{
	{From: "vnet-spoke-a/snet-app", To: "10.21.1.4", Port: 443},
	{From: "vnet-spoke-b/snet-app", To: "10.11.1.4", Port: 22},
	{From: "vnet-spoke-a/snet-app", To: "10.22.1.4", Port: 443},
}

func run(snapshot string, w io.Writer) error {
	res, err := azure.Load([]string{snapshot}, azure.Options{})
	if err != nil {
		return err
	}
	eng := engine.New(res.Snapshot, nil)
	for _, q := range flows {
		r, err := eng.Check(q)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s → %s tcp/%d: %s\n", q.From, q.To, q.Port, r.Verdict)
		fmt.Fprintf(w, "  path: %s\n", path(r.Hops))
		if len(r.Then) > 0 {
			fmt.Fprintf(w, "  once unblocked: %s\n", path(r.Then))
		}
		if r.ReturnPath != nil {
			fmt.Fprintf(w, "  replies come back: %v\n", r.ReturnPath.OK)
		}
		for _, b := range r.Blockers {
			fmt.Fprintf(w, "  blocked: %s at %s\n", b.Cause, topology.ShortName(b.Resource))
		}
		var patches []answer.Patch
		for _, f := range r.Fixes {
			fmt.Fprintf(w, "  fix: %s\n", f.Change)
			fmt.Fprintf(w, "    az: %s\n", f.Az)
			for _, p := range f.Patch {
				fmt.Fprintf(w, "    patch: %s %s %s = %s\n", p.Op, topology.ShortName(p.ID), p.Property, p.Value)
			}
			patches = append(patches, f.Patch...)
		}
		if len(patches) == 0 {
			continue
		}
		after, err := patched(snapshot, patches)
		if err != nil {
			return err
		}
		r, err = engine.New(after, nil).Check(q)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  with the fix: %s\n", r.Verdict)
	}
	return nil
}

// patched applies patches to the snapshot's files, in memory, and loads
// the result.
func patched(dir string, patches []answer.Patch) (*topology.Snapshot, error) {
	files := map[string][]byte{}
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if files[filepath.Base(n)], err = os.ReadFile(n); err != nil {
			return nil, err
		}
	}
	out, err := azure.ApplyPatches(files, patches)
	if err != nil {
		return nil, err
	}
	fsys := fstest.MapFS{}
	for name, data := range out {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		return nil, err
	}
	return res.Snapshot, nil
}

// path lists hops as "kind name", the appliances marked.
func path(hops []answer.Hop) string {
	var s []string
	for _, h := range hops {
		n := string(h.Kind) + " " + h.DisplayName()
		if h.Kind == answer.HopVirtualAppliance {
			n = "[" + n + "]"
		}
		s = append(s, n)
	}
	return strings.Join(s, " > ")
}
