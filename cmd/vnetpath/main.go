// Command vnetpath answers reachability questions about an Azure estate from
// a snapshot of its ARM resources, offline.
//
//	vnetpath check   --snapshot PATH [--from SRC ...] [--to DST ...] [--port N] [--protocol P] [--failures-only] [-o text|json|dot|mermaid|html]
//	vnetpath routes  --snapshot PATH (--subnet SUBNET | --nic NIC | --ip IP) [-o text|json]
//	vnetpath resolve --snapshot PATH --from VNET|SUBNET --name FQDN [-o text|json]
//	vnetpath diff    --before PATH (--after PATH | --template FILE | --plan FILE) [check's --from/--to/--port/--protocol] [-o text|json]
//	vnetpath tags    --service-tags FILE (lookup IP | show TAG | diff --old FILE) [-o text|json]
//	vnetpath graph   --snapshot PATH [-o dot|mermaid|json]
//	vnetpath version
//
// Every command prints its flags and examples with --help. Exit status: 0
// when every answer is reachable, 1 when one is not, 2 for usage or input
// errors.
package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/vnetpath/vnetpath/internal/suggest"
)

func main() {
	os.Exit(runIO(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK       = 0
	exitNotReach = 1
	exitUsage    = 2
)

// env is where a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand and its help.
type command struct {
	name     string
	summary  string // one line, for the command list
	synopsis string // the arguments, after "vnetpath NAME"
	about    string // what it does, a short paragraph
	examples [][2]string
	exit     string // what the exit status means, when it differs from the default
	run      func(c *command, args []string, e env) int
}

func commands() []*command {
	return []*command{checkCommand(), routesCommand(), resolveCommand(), diffCommand(), tagsCommand(), graphCommand(), collectCommand(), versionCommand()}
}

// run is the whole CLI: it parses args, runs one command and returns the
// exit status. Standard input is the process's; tests that feed it use
// runIO.
func run(args []string, stdout, stderr io.Writer) int {
	return runIO(args, os.Stdin, stdout, stderr)
}

// runIO is run with a given standard input.
func runIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return runIO([]string{args[1], "--help"}, stdin, stdout, stderr)
		}
		writeUsage(stdout)
		return exitOK
	case "-version", "--version":
		return writeVersion(stdout)
	}
	cmds := commands()
	var names []string
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(c, args[1:], e)
		}
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if len(args[0]) > 1 && args[0][0] == '-' {
		msg = "unknown flag " + args[0] + "; flags follow the command"
	} else if s, ok := suggest.Likely(args[0], names); ok {
		msg += "; did you mean " + s + "?"
	}
	return usageError(stderr, "", msg)
}

func writeUsage(w io.Writer) {
	fmt.Fprint(w, `vnetpath answers, offline, whether subnets of an Azure estate can reach
Entra ID, Azure Resource Manager and Azure ML workspaces, and if not where
and why, from a snapshot of the estate's ARM resources.

Usage: vnetpath COMMAND [flags]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, `
Examples:
  # the Azure ML profile of every workload subnet of the example estate
  vnetpath check --snapshot examples/contoso
  # one flow, as JSON
  vnetpath check --snapshot snap/ --from vnet-spoke-ml/snet-train --to login.microsoftonline.com -o json
  # the effective routes of a VM's NIC
  vnetpath routes --snapshot snap/ --nic nic-vm-web-01

Run 'vnetpath COMMAND --help' for the flags and examples of a command,
'vnetpath --version' for the version.
`)
}
