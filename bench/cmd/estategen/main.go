// Command estategen writes a synthetic Azure estate for vnetpath's
// benchmarks and scale tests: a hub (or a chain of hubs) and N spokes, as
// ARM JSON in the layout `vnetpath check --snapshot DIR` reads, with a few
// deliberate faults. See package bench/estategen for what the estate holds.
//
// Usage:
//
//	go run ./bench/cmd/estategen -spokes N -out DIR [-seed S] [-shape hubspoke|transit] [-hubs 2|3] [-workspaces N] [-faults FILE]
//
// The same flags always write the same bytes. DIR must be new or empty.
// -faults writes the injected faults as JSON to FILE, which must lie outside
// DIR (the loader reads every .json file under DIR).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vnetpath/vnetpath/bench/estategen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "estategen:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("estategen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spokes := fs.Int("spokes", 0, fmt.Sprintf("number of spokes, 0..%d", estategen.MaxSpokes))
	out := fs.String("out", "", "directory to write the estate to (new or empty)")
	seed := fs.Uint64("seed", 1, "seed of the per-spoke variations and the faults")
	shape := fs.String("shape", string(estategen.HubSpoke), "hubspoke or transit")
	hubs := fs.Int("hubs", 0, "hubs of the transit shape, 2 or 3 (default 3)")
	workspaces := fs.Int("workspaces", 3, fmt.Sprintf("Azure ML workspaces, 1..%d", estategen.MaxWorkspaces))
	faults := fs.String("faults", "", "write the injected faults as JSON to this file (outside -out)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return errors.New("-out DIR is required")
	}
	if *workspaces < 1 || *workspaces > estategen.MaxWorkspaces {
		return fmt.Errorf("-workspaces %d: must be in 1..%d", *workspaces, estategen.MaxWorkspaces)
	}
	if *faults != "" && inside(*faults, *out) {
		return fmt.Errorf("-faults %s: lies inside -out %s, where the loader would read it as part of the snapshot", *faults, *out)
	}
	start := time.Now()
	e, err := estategen.GenerateWith(estategen.Options{Spokes: *spokes, Seed: *seed, Shape: estategen.Shape(*shape), Hubs: *hubs, Workspaces: *workspaces})
	if err != nil {
		return fmt.Errorf("-spokes %d -shape %s -hubs %d -workspaces %d: %w", *spokes, *shape, *hubs, *workspaces, err)
	}
	st, err := e.WriteDir(*out)
	if err != nil {
		return err
	}
	if *faults != "" {
		b, err := json.MarshalIndent(e.Faults(), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*faults, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s: %s; %d faults; %.2fs\n", *out, st.Summary(), len(e.Faults()), time.Since(start).Seconds())
	return nil
}

// inside reports whether path lies under dir.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
