package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
)

// stdinName is what messages call a snapshot read from standard input.
const stdinName = "standard input"

// inputs are the flags every analysis command shares: the snapshot paths,
// the service-tag catalog and lenient loading.
type inputs struct {
	snapshots   multiFlag
	serviceTags string
	lenient     bool
}

func (in *inputs) register(fs *flagSet, withTags bool) {
	fs.Var(&in.snapshots, "snapshot", "snapshot `PATH`: a JSON file or a directory of them, or - for standard input (repeatable)")
	if withTags {
		fs.StringVar(&in.serviceTags, "service-tags", "", "service-tag `FILE` (weekly download or Discovery API response)")
	}
	fs.BoolVar(&in.lenient, "lenient", false, "turn resource errors into warnings and drop only the faulty resources")
}

// errNoSnapshot is the usage error of a command run without --snapshot.
var errNoSnapshot = errors.New("--snapshot is required")

// check reports a usage error in the input flags: a missing --snapshot,
// or - given with other paths.
func (in *inputs) check() error {
	switch {
	case len(in.snapshots) == 0:
		return errNoSnapshot
	case slices.Contains(in.snapshots, "-") && len(in.snapshots) > 1:
		return errors.New("--snapshot - reads the whole snapshot from standard input and cannot be combined with other --snapshot paths")
	}
	return nil
}

// load reads the snapshot and catalog and returns the engine and the load
// warnings.
func (in *inputs) load(stdin io.Reader) (*engine.Engine, []string, error) {
	if err := in.check(); err != nil {
		return nil, nil, err
	}
	opts := azure.Options{Lenient: in.lenient}
	var (
		res *azure.Result
		err error
	)
	if in.snapshots[0] == "-" {
		// One byte over the limit lets LoadBytes say the input is too large.
		data, rerr := io.ReadAll(io.LimitReader(stdin, azure.DefaultMaxFileBytes+1))
		if rerr != nil {
			return nil, nil, fmt.Errorf("reading the snapshot from %s: %w", stdinName, rerr)
		}
		res, err = azure.LoadBytes(stdinName, data, opts)
	} else {
		res, err = azure.Load(in.snapshots, opts)
	}
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	for _, f := range res.Warnings {
		warnings = append(warnings, f.Error())
	}
	var cat *servicetags.Catalog
	if in.serviceTags != "" {
		cat, err = servicetags.ParseFile(in.serviceTags, servicetags.Options{Lenient: in.lenient})
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, cat.Warnings()...)
	}
	return engine.New(res.Snapshot, cat), warnings, nil
}

// printWarnings writes warnings to w, one per line.
func printWarnings(w io.Writer, warnings []string) {
	for _, s := range warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

// isSet reports whether the flag called name was given.
func isSet(fs *flagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
