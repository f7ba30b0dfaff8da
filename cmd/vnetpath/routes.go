package main

import (
	"errors"
	"io"

	"github.com/vnetpath/vnetpath/render"
)

func runRoutes(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("routes", "--snapshot PATH --subnet SUBNET [--service-tags FILE] [--format text|json] [--lenient]", stderr)
	var (
		in     inputs
		subnet = fs.String("subnet", "", "`SUBNET`: an ARM ID or VNET/SUBNET")
		format = newFormat("text", "text", "json")
	)
	in.register(fs, true)
	fs.Var(format, "format", "output `format`: text or json")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	if *subnet == "" {
		return fail(stderr, "routes", errors.New("--subnet is required"))
	}
	eng, warnings, err := in.load()
	if err != nil {
		return fail(stderr, "routes", err)
	}
	t, err := eng.EffectiveRoutes(*subnet)
	if err != nil {
		return fail(stderr, "routes", err)
	}
	t.Warnings = append(warnings, t.Warnings...)
	if format.value == "json" {
		err = render.RoutesJSON(stdout, t)
	} else {
		err = render.RoutesText(stdout, t)
	}
	if err != nil {
		return fail(stderr, "routes", err)
	}
	return exitOK
}
