package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/internal/suggest"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// formatFlag is a --format (-o) value restricted to a list of choices.
type formatFlag struct {
	value   string
	choices []string
}

func newFormat(def string, choices ...string) *formatFlag {
	return &formatFlag{value: def, choices: choices}
}

func (f *formatFlag) String() string { return f.value }

func (f *formatFlag) Set(v string) error {
	for _, c := range f.choices {
		if strings.EqualFold(v, c) {
			f.value = c
			return nil
		}
	}
	return fmt.Errorf("unknown output format; want %s", orList(f.choices))
}

// portFlag is a --port value: a port number from 1 to 65535 (SPEC §4).
type portFlag int

func (p *portFlag) String() string { return strconv.Itoa(int(*p)) }

func (p *portFlag) Set(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > 65535 {
		return errors.New("want a port number from 1 to 65535")
	}
	*p = portFlag(n)
	return nil
}

// orList joins choices as "a, b or c".
func orList(choices []string) string {
	if len(choices) < 2 {
		return strings.Join(choices, "")
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// flagSet is a command's flags. It prints nothing by itself: help goes to
// stdout on -h or --help, and usage errors go to stderr as one short
// message and a pointer to --help.
type flagSet struct {
	*flag.FlagSet
	cmd *command
	env env
}

func newFlagSet(cmd *command, e env) *flagSet {
	fs := flag.NewFlagSet("vnetpath "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, cmd: cmd, env: e}
}

// format registers --format and its alias -o.
func (fs *flagSet) format(def string, choices ...string) *formatFlag {
	f := newFormat(def, choices...)
	fs.Var(f, "format", "output `FORMAT`: "+orList(choices))
	fs.Var(f, "o", "")
	return f
}

// parse parses args, flags and positional arguments in any order ("--"
// ends the flags), and returns the positional arguments. On -h or --help
// it prints the command's help to stdout and returns exit status 0; on a
// usage error it prints it and returns 2; otherwise it returns -1.
func (fs *flagSet) parse(args []string) ([]string, int) {
	if help, err := fs.scan(args); help {
		fs.cmd.writeHelp(fs.env.stdout, fs.FlagSet)
		return nil, exitOK
	} else if err != "" {
		return nil, fs.usageError("%s", err)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fs.usageError("%s", flagError(err))
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), -1
		}
		if len(rest) == 0 {
			return pos, -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// scan looks through args as Parse will, before it does: it reports
// whether help was asked for (which wins over any error), and names the
// first unknown flag with the closest known one.
func (fs *flagSet) scan(args []string) (help bool, err string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' || strings.HasPrefix(a, "---") {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return true, ""
		}
		f := fs.Lookup(name)
		if f == nil {
			if err == "" {
				err = unknownFlag(a, fs.names())
			}
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // the flag's value, even when it starts with "-"
		}
	}
	return false, err
}

// names lists the long flag names.
func (fs *flagSet) names() []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 {
			out = append(out, f.Name)
		}
	})
	return out
}

// unknownFlag says that the flag typed as arg does not exist, and which
// one was probably meant.
func unknownFlag(arg string, names []string) string {
	typed, _, _ := strings.Cut(arg, "=")
	msg := "unknown flag " + typed
	if s, ok := suggest.Likely(strings.TrimLeft(typed, "-"), names); ok {
		msg += "; did you mean --" + s + "?"
	}
	return msg
}

var (
	needsValue   = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	invalidValue = regexp.MustCompile(`^invalid (boolean )?value "(.*)" for (?:flag )?-+([^:]+): (.*)$`)
)

// flagError rewrites an error of package flag in the CLI's terms:
// "--port 0: want a port number from 1 to 65535".
func flagError(err error) string {
	s := err.Error()
	if m := needsValue.FindStringSubmatch(s); m != nil {
		return flagName(m[1]) + " needs a value"
	}
	if m := invalidValue.FindStringSubmatch(s); m != nil {
		if m[1] != "" {
			return fmt.Sprintf("%s=%s: want true or false", flagName(m[3]), m[2])
		}
		return fmt.Sprintf("%s %s: %s", flagName(m[3]), strconv.Quote(m[2]), m[4])
	}
	return s
}

// flagName writes a flag as users type it: -o, --format.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// usageError prints "vnetpath CMD: message" and where to read the usage,
// and returns the usage exit status.
func (fs *flagSet) usageError(format string, a ...any) int {
	return usageError(fs.env.stderr, fs.cmd.name, fmt.Sprintf(format, a...))
}

func usageError(w io.Writer, cmd, msg string) int {
	prog := "vnetpath"
	if cmd != "" {
		prog += " " + cmd
	}
	fmt.Fprintf(w, "%s: %s\nrun '%s --help' for usage\n", prog, msg, prog)
	return exitUsage
}

// writeHelp prints a command's help: synopsis, description, flags and
// examples.
func (c *command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "%s\n\n%s\n", strings.TrimSpace("Usage: vnetpath "+c.name+" "+c.synopsis), c.about)
	fmt.Fprintln(w, "\nFlags:")
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		if f.Usage == "" {
			return // an alias, listed with its flag
		}
		arg, usage := flag.UnquoteUsage(f)
		short := "    "
		if f.Name == "format" && fs.Lookup("o") != nil {
			short = "-o, "
		}
		name := short + "--" + f.Name
		if arg != "" && arg != "value" {
			name += " " + arg
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	})
	fmt.Fprintf(tw, "  -h, --help\tprint this help\n")
	tw.Flush()
	fmt.Fprintln(w, "\nExamples:")
	for _, ex := range c.examples {
		fmt.Fprintf(w, "  # %s\n  %s\n", ex[0], ex[1])
	}
	if c.exit != "" {
		fmt.Fprintf(w, "\nExit status: %s\n", c.exit)
	}
}

// flowFlags are the flags that say which flows check and diff ask about:
// --from, --to, --port and --protocol.
type flowFlags struct {
	fs       *flagSet
	from, to multiFlag
	port     portFlag
	proto    *string
	protocol engine.Protocol // set by parse
}

// registerFlow adds the flow flags to fs.
func registerFlow(fs *flagSet) *flowFlags {
	f := &flowFlags{fs: fs, port: 443}
	f.proto = fs.String("protocol", "tcp", "`PROTOCOL`: tcp, udp, icmp or any (all three)")
	fs.Var(&f.from, "from", "source `SRC`: VNET/SUBNET, RG/VNET/SUBNET, a subnet ARM ID or an IP in a subnet (repeatable; default: every workload subnet)")
	fs.Var(&f.to, "to", "destination `DST`: an FQDN, an IP, a CIDR or tag:NAME (repeatable; default: the Azure ML profile of every workspace)")
	fs.Var(&f.port, "port", "destination `PORT`, 1-65535")
	return f
}

// parse reads --protocol once the flags are parsed; it returns a usage
// error's exit status, or -1.
func (f *flowFlags) parse() int {
	p, err := engine.ParseProtocol(*f.proto)
	if err != nil {
		return f.fs.usageError("--protocol %q: want tcp, udp, icmp or any", *f.proto)
	}
	f.protocol = p
	return -1
}

// given returns the port and protocol the command line set, zero for each
// it left to the default (a profile entry's own port and protocol win).
func (f *flowFlags) given() (port int, protocol engine.Protocol) {
	if isSet(f.fs, "port") {
		port = int(f.port)
	}
	if isSet(f.fs, "protocol") {
		protocol = f.protocol
	}
	return port, protocol
}
