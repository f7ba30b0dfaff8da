package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "--snapshot PATH [--service-tags FILE] [--from SRC ...] [--to DST ...] [--port N] [--protocol tcp|udp|icmp|any] [--format text|json|dot|mermaid] [--lenient]", stderr)
	var (
		in       inputs
		from, to multiFlag
		port     = fs.Int("port", 443, "destination `port`")
		proto    = fs.String("protocol", "tcp", "`protocol`: tcp, udp, icmp or any")
		format   = newFormat("text", "text", "json", "dot", "mermaid")
	)
	in.register(fs, true)
	fs.Var(&from, "from", "source `SRC`: a subnet ARM ID, VNET/SUBNET or an IP in a subnet (repeatable; default: every workload subnet)")
	fs.Var(&to, "to", "destination `DST`: an FQDN, IP, CIDR or tag:NAME (repeatable; default: the Azure ML profile of every workspace)")
	fs.Var(format, "format", "output `format`: text, json, dot or mermaid")
	if rc := parseFlags(fs, args); rc >= 0 {
		return rc
	}
	if fs.NArg() > 0 {
		return fail(stderr, "check", errors.New("unexpected argument "+fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	protocol := engine.Protocol(strings.ToLower(*proto))
	if !slices.Contains([]engine.Protocol{engine.TCP, engine.UDP, engine.ICMP, engine.Any}, protocol) {
		return fail(stderr, "check", errors.New("--protocol "+*proto+": want tcp, udp, icmp or any"))
	}
	eng, warnings, err := in.load()
	if err != nil {
		return fail(stderr, "check", err)
	}
	var queries []engine.Query
	if len(to) == 0 {
		queries, err = eng.ProfileQueries(from)
		if err != nil {
			return fail(stderr, "check", err)
		}
		for i := range queries {
			if set["port"] {
				queries[i].Port = *port
			}
			if set["protocol"] {
				queries[i].Protocol = protocol
			}
		}
	} else {
		srcs := []string(from)
		if len(srcs) == 0 {
			for _, sn := range eng.WorkloadSubnets() {
				srcs = append(srcs, sn.ID)
			}
		}
		for _, f := range srcs {
			for _, t := range to {
				queries = append(queries, engine.Query{From: f, To: t, Protocol: protocol, Port: *port})
			}
		}
	}
	rep, err := eng.Run(queries)
	if err != nil {
		return fail(stderr, "check", err)
	}
	rep.Warnings = append(warnings, rep.Warnings...)
	switch format.value {
	case "json":
		err = render.JSON(stdout, rep)
	case "dot":
		printWarnings(stderr, rep.Warnings)
		err = render.Dot(stdout, rep)
	case "mermaid":
		printWarnings(stderr, rep.Warnings)
		err = render.Mermaid(stdout, rep)
	default:
		err = render.Text(stdout, rep)
	}
	if err != nil {
		return fail(stderr, "check", err)
	}
	if rep.AllReachable() {
		return exitOK
	}
	return exitNotReach
}
