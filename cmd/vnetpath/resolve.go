package main

import (
	"errors"
	"io"

	"github.com/vnetpath/vnetpath/render"
)

func runResolve(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("resolve", "--snapshot PATH --from VNET|SUBNET --name FQDN [--format text|json] [--lenient]", stderr)
	var (
		in     inputs
		from   = fs.String("from", "", "`VNET` or SUBNET the query comes from: an ARM ID, a VNet name or VNET/SUBNET")
		name   = fs.String("name", "", "the `FQDN` to resolve")
		format = newFormat("text", "text", "json")
	)
	in.register(fs, false)
	fs.Var(format, "format", "output `format`: text or json")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	if *from == "" || *name == "" {
		return fail(stderr, "resolve", errors.New("--from and --name are required"))
	}
	eng, warnings, err := in.load()
	if err != nil {
		return fail(stderr, "resolve", err)
	}
	r, err := eng.ResolveFrom(*from, *name)
	if err != nil {
		return fail(stderr, "resolve", err)
	}
	r.Warnings = append(warnings, r.Warnings...)
	if format.value == "json" {
		err = render.ResolutionJSON(stdout, r)
	} else {
		err = render.ResolutionText(stdout, r)
	}
	if err != nil {
		return fail(stderr, "resolve", err)
	}
	return exitOK
}
