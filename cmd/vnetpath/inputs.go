package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/servicetags"
)

// stdinName is what messages call a snapshot read from standard input.
const stdinName = "standard input"

// inputs are the flags every analysis command shares: the snapshot paths,
// the changes not yet deployed to apply on top of it (templates and
// plans), the service-tag catalog and lenient loading.
type inputs struct {
	snapshots   multiFlag
	changes     changeFlags
	serviceTags string
	lenient     bool
}

func (in *inputs) register(fs *flagSet, withTags bool) {
	fs.Var(&in.snapshots, "snapshot", "snapshot `PATH`: a JSON file or a directory of them, or - for standard input (repeatable)")
	in.changes.register(fs)
	if withTags {
		fs.StringVar(&in.serviceTags, "service-tags", "", "service-tag `FILE` (weekly download or Discovery API response)")
	}
	fs.BoolVar(&in.lenient, "lenient", false, "turn resource errors into warnings and drop only the faulty resources")
}

// errNoSnapshot is the usage error of a command run without --snapshot.
var errNoSnapshot = errors.New("--snapshot is required, or --template or --plan for a change alone")

// check reports a usage error in the input flags: no --snapshot (nor a
// change), or - given with other paths or read twice.
func (in *inputs) check() error {
	switch {
	case len(in.snapshots) == 0 && !in.changes.given():
		return errNoSnapshot
	case slices.Contains(in.snapshots, "-") && len(in.snapshots) > 1:
		return errors.New("--snapshot - reads the whole snapshot from standard input and cannot be combined with other --snapshot paths")
	case slices.Contains(in.snapshots, "-") && in.changes.readsStdin():
		return errors.New("--snapshot - and --plan - both read standard input; give one of them a file")
	}
	return nil
}

// load reads the snapshot, applies the changes and reads the catalog, and
// returns the engine and the warnings.
func (in *inputs) load(stdin io.Reader) (*engine.Engine, []string, error) {
	if err := in.check(); err != nil {
		return nil, nil, err
	}
	// The catalog is read while the snapshot is: the loader leaves part
	// of a core idle. An error in the snapshot is still the one reported.
	type catalogRead struct {
		cat  *servicetags.Catalog
		more []string
		err  error
	}
	catc := make(chan catalogRead, 1)
	go func() {
		cat, more, err := in.catalog()
		catc <- catalogRead{cat, more, err}
	}()
	res, warnings, err := in.loadSnapshot(stdin, in.snapshots, true)
	c := <-catc
	if err != nil {
		return nil, nil, err
	}
	if c.err != nil {
		return nil, nil, c.err
	}
	return engine.New(res.Snapshot, c.cat), append(warnings, c.more...), nil
}

// loadSnapshot reads the snapshot paths and, when withChanges is set,
// applies the templates and plans on top, and returns the loaded estate
// and its warnings.
func (in *inputs) loadSnapshot(stdin io.Reader, paths []string, withChanges bool) (*azure.Result, []string, error) {
	opts := azure.Options{Lenient: in.lenient}
	var warnings []string
	if withChanges {
		changes, notes, err := in.changes.evaluate(stdin)
		if err != nil {
			return nil, nil, err
		}
		opts.Changes = changes
		warnings = append(notes, in.changes.scopeWarning(changes, len(paths) > 0)...)
	}
	var (
		res *azure.Result
		err error
	)
	if len(paths) > 0 && paths[0] == "-" {
		// One byte over the limit lets LoadBytes say the input is too large.
		data, rerr := io.ReadAll(io.LimitReader(stdin, azure.DefaultMaxFileBytes+1))
		if rerr != nil {
			return nil, nil, fmt.Errorf("reading the snapshot from %s: %w", stdinName, rerr)
		}
		res, err = azure.LoadBytes(stdinName, data, opts)
	} else {
		prepareHeap(paths)
		res, err = azure.Load(paths, opts)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, f := range res.Warnings {
		warnings = append(warnings, f.Error())
	}
	return res, warnings, nil
}

// catalog reads the --service-tags catalog, or returns nil without one.
func (in *inputs) catalog() (*servicetags.Catalog, []string, error) {
	if in.serviceTags == "" {
		return nil, nil, nil
	}
	cat, err := servicetags.ParseFile(in.serviceTags, servicetags.Options{Lenient: in.lenient})
	if err != nil {
		return nil, nil, err
	}
	return cat, cat.Warnings(), nil
}

// printWarnings writes warnings to w (standard error), wrapped as the text
// answers are.
func printWarnings(w io.Writer, warnings []string) {
	_ = render.Warnings(w, warnings) // a failing stderr has no one to tell
}

// isSet reports whether the flag called name was given.
func isSet(fs *flagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
