// Command vnetpath answers reachability questions about an Azure estate from
// a snapshot of its ARM resources, offline.
//
//	vnetpath check   --snapshot PATH [--from SRC] [--to DST] [--port N] [--protocol P] [--format text|json|dot|mermaid]
//	vnetpath routes  --snapshot PATH --subnet SUBNET [--format text|json]
//	vnetpath resolve --snapshot PATH --from VNET|SUBNET --name FQDN [--format text|json]
//	vnetpath tags    --service-tags FILE (lookup IP | show TAG | diff --old FILE) [--format text|json]
//
// Exit status: 0 when every answer is reachable, 1 when one is not, 2 for
// usage or input errors.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK       = 0
	exitNotReach = 1
	exitUsage    = 2
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"check", "can sources reach destinations, and if not, where and why", runCheck},
		{"routes", "effective routes of a subnet, as Azure lists them", runRoutes},
		{"resolve", "what a name resolves to from a VNet, through which resolver and zone", runResolve},
		{"tags", "look up, show and diff service tags", runTags},
		{"collect", "read an estate from Azure, read-only, into a snapshot directory", runCollect},
	}
}

// run is the whole CLI: it parses args, runs one command and returns the
// exit status. Tests drive it with buffers.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "vnetpath: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vnetpath COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'vnetpath COMMAND -h' for the flags of a command.")
}
