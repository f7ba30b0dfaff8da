package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
)

// inputs are the flags every analysis command shares: the snapshot paths,
// the service-tag catalog and lenient loading.
type inputs struct {
	snapshots   multiFlag
	serviceTags string
	lenient     bool
}

func (in *inputs) register(fs *flag.FlagSet, withTags bool) {
	fs.Var(&in.snapshots, "snapshot", "snapshot `PATH`: a JSON file or a directory of them (repeatable)")
	if withTags {
		fs.StringVar(&in.serviceTags, "service-tags", "", "service-tag `FILE` (weekly download or Discovery API response)")
	}
	fs.BoolVar(&in.lenient, "lenient", false, "turn resource errors into warnings and drop only the faulty resources")
}

// load reads the snapshot and catalog and returns the engine and the load
// warnings.
func (in *inputs) load() (*engine.Engine, []string, error) {
	if len(in.snapshots) == 0 {
		return nil, nil, errors.New("--snapshot is required")
	}
	res, err := azure.Load(in.snapshots, azure.Options{Lenient: in.lenient})
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
