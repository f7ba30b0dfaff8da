package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// formatFlag is a --format value restricted to a list of choices.
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
		if v == c {
			f.value = v
			return nil
		}
	}
	return fmt.Errorf("unknown output format %q (want %s)", v, strings.Join(f.choices, ", "))
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vnetpath "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: vnetpath %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns the exit status to use when parsing
// failed (-1 when it did not).
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	return -1
}

// fail prints "vnetpath CMD: err" to stderr and returns the usage/input
// exit status.
func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "vnetpath %s: %v\n", cmd, err)
	return exitUsage
}
