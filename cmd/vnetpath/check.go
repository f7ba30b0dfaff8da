package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
)

func checkCommand() *command {
	return &command{
		name:     "check",
		summary:  "can sources reach destinations, and if not, where and why",
		synopsis: "(--snapshot PATH | --template FILE | --plan FILE ...) [--from SRC ...] [--to DST ...] [--port N] [--protocol P] [flags]",
		about: `Walks each flow from SRC to DST the way Azure forwards it (routes, NSGs,
firewalls, peerings, gateways, DNS, egress and the way back) and prints the
verdict, the hops, the rule or route that decided and every fix.

SRC is a subnet (VNET/SUBNET, RESOURCEGROUP/VNET/SUBNET or its ARM ID) or an
IP address in a subnet; without --from, every subnet that can hold
workloads. DST is an FQDN, an IP, a CIDR or tag:NAME; without --to, the
Azure ML profile of every workspace in the snapshot.

Text leads with the answer: a matrix of sources × endpoints (✓, or the
verdict's code), then what failed with its path, reason and fixes (az
commands laid out to paste; failures several sources share with the same
cause and fix are shown once, with those sources), then the reachable
answers (counted by endpoint when there are more than 200; --format json
lists every answer); the load summary and warnings go to standard error, a
warning many VNets or rules share once. html is one self-contained page with
the failed paths drawn; dot and mermaid draw each path with its verdict. All three
show an estate as the text does: a group of failures once, and the reachable
answers counted when there are more than 200.

--template and --plan apply ARM deployment templates and Terraform plans on
top of the snapshot (or alone), so that a change is checked before it is
deployed; what they cannot know before deployment is missing, and answers
that depend on it are unknown.`,
		examples: [][2]string{
			{"the Azure ML profile of every workspace, from every workload subnet",
				"vnetpath check --snapshot examples/contoso"},
			{"several flows as JSON, with the service tags' real prefixes",
				"vnetpath check --snapshot snap/ --service-tags ServiceTags_Public_20251028.json \\\n" +
					"      --from vnet-spoke-ml/snet-train --from 10.120.1.4 --to login.microsoftonline.com --to tag:Storage.WestEurope -o json"},
			{"a report to open in a browser or attach to a ticket, with only the failures detailed",
				"vnetpath check --snapshot examples/contoso --failures-only --format html"},
			{"the estate once a Terraform plan is applied, before it is deployed (terraform show -json plan.out > plan.json)",
				"vnetpath check --snapshot examples/contoso --plan examples/contoso-changes/unlink-api-zone.plan.json --from vnet-spoke-ml/snet-train"},
		},
		exit: "0 when every answer is reachable, 1 when one is not, 2 for usage or input errors.",
		run:  runCheck,
	}
}

func runCheck(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	var in inputs
	in.register(fs, true)
	flow := registerFlow(fs)
	failuresOnly := fs.Bool("failures-only", false, "print only the answers that are not reachable (the summary still counts them all)")
	namedLocations := fs.String("named-locations", "", "Microsoft Graph's conditionalAccess/namedLocations answer (`FILE`): say whether sign-ins to Entra ID leave from a trusted named location")
	mlDeps := fs.String("ml-dependencies", "", "a workspace's outboundNetworkDependenciesEndpoints answer (`FILE`): the Azure ML profile checks its list instead of the built-in one")
	format := fs.format("text", "text", "json", "dot", "mermaid", "html")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	if len(pos) > 0 {
		return fs.usageError("unexpected argument %q", pos[0])
	}
	if rc := flow.parse(); rc >= 0 {
		return rc
	}
	if err := in.check(); err != nil {
		return fs.usageError("%v", err)
	}
	eng, warnings, err := in.load(e.stdin)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	if eng, err = withOptions(eng, *namedLocations, *mlDeps); err != nil {
		return fail(e.stderr, c.name, err)
	}
	var (
		queries []engine.Query
		profile *engine.ProfileOptions
	)
	if len(flow.to) == 0 {
		profile = &engine.ProfileOptions{From: flow.from}
		profile.Port, profile.Protocol = flow.given()
	} else {
		srcs := []string(flow.from)
		if len(srcs) == 0 {
			for _, sn := range eng.WorkloadSubnets() {
				srcs = append(srcs, sn.ID)
			}
		}
		for _, f := range srcs {
			for _, t := range flow.to {
				queries = append(queries, engine.Query{From: f, To: t, Protocol: flow.protocol, Port: int(flow.port)})
			}
		}
	}
	if format.value == "json" {
		all, err := streamJSON(e.stdout, eng, warnings, profile, queries, *failuresOnly)
		if err != nil {
			return fail(e.stderr, c.name, err)
		}
		if all {
			return exitOK
		}
		return exitNotReach
	}
	// The drawings of --failures-only hold only what failed; text and
	// HTML summarise every answer and detail the failures.
	drawing := format.value == "dot" || format.value == "mermaid"
	col, head, all, err := collectAnswers(eng, profile, queries, drawing && *failuresOnly)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	// The engine's report repeats the snapshot's own warnings, which the
	// load's warnings already hold: each is shown once.
	head.Warnings = uniqueStrings(append(warnings, head.Warnings...))
	opts := render.Options{FailuresOnly: *failuresOnly}
	switch format.value {
	case "dot":
		printWarnings(e.stderr, head.Warnings)
		err = col.Dot(e.stdout)
	case "mermaid":
		printWarnings(e.stderr, head.Warnings)
		err = col.Mermaid(e.stdout)
	case "html":
		err = col.HTML(e.stdout, opts)
	default:
		// The load summary and warnings go to stderr, the answer to stdout.
		if err = render.SnapshotText(e.stderr, head); err == nil {
			opts.Color = colorOK(e.stdout, os.Getenv)
			err = col.Text(e.stdout, opts)
		}
	}
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	if all {
		return exitOK
	}
	return exitNotReach
}

// streamJSON writes the JSON of check's answers (those that are not
// reachable with failuresOnly) as the engine finds them, in order, without
// holding the report: the profile's when profile is set, else the answers
// to queries. Its warnings are the load's, then the engine's, each once.
// It reports whether every answer, written or not, is reachable (and there
// is at least one). An error once answers were written leaves the output
// cut short.
func streamJSON(w io.Writer, eng *engine.Engine, loadWarnings []string, profile *engine.ProfileOptions, queries []engine.Query, failuresOnly bool) (bool, error) {
	var (
		j *render.JSONWriter
		c counter
	)
	each := c.pass(failuresOnly, func(r engine.Result) error { return j.Result(&r) })
	warnings, err := answerEach(eng, profile, queries, func(head *engine.Report) { j = render.NewJSONWriter(w, head) }, each)
	if err != nil {
		return false, err
	}
	// The engine's warnings repeat the snapshot's own, which the load's
	// already hold: each is shown once.
	if err := j.Close(uniqueStrings(append(loadWarnings, warnings...))); err != nil {
		return false, err
	}
	return c.allReachable(), nil
}

// counter counts answers as they pass, and whether all are reachable.
type counter struct {
	n, ok int
}

// pass returns a function that counts each answer and hands it to next,
// unless failuresOnly is set and it is reachable.
func (c *counter) pass(failuresOnly bool, next func(engine.Result) error) func(engine.Result) error {
	return func(r engine.Result) error {
		c.n++
		if r.Reachable {
			c.ok++
			if failuresOnly {
				return nil
			}
		}
		return next(r)
	}
}

// allReachable reports whether every answer counted is reachable (and
// there is at least one).
func (c *counter) allReachable() bool { return c.n > 0 && c.ok == c.n }

// collectAnswers answers check's queries, or the profile when profile is
// set, into a render.Collector as the engine finds them (only those that
// are not reachable with failuresOnly), and returns it with the report's
// summary (warnings included) and whether every answer is reachable (and
// there is at least one). The collector keeps whole only what the reports
// show in full: at 10,000 spokes, holding every answer made the text
// report peak at 4.9 GB.
func collectAnswers(eng *engine.Engine, profile *engine.ProfileOptions, queries []engine.Query, failuresOnly bool) (*render.Collector, *engine.Report, bool, error) {
	var (
		head *engine.Report
		col  *render.Collector
		c    counter
	)
	keep := c.pass(failuresOnly, func(r engine.Result) error {
		col.Add(r)
		return nil
	})
	warnings, err := answerEach(eng, profile, queries, func(h *engine.Report) { head, col = h, render.NewCollector(h) }, keep)
	if err != nil {
		return nil, nil, false, err
	}
	head.Warnings = warnings
	return col, head, c.allReachable(), nil
}

// answerEach answers the profile when profile is set, else queries, and
// hands head the report without results, then each answer to each as the
// engine finds them, in order. It returns the report's warnings.
func answerEach(eng *engine.Engine, profile *engine.ProfileOptions, queries []engine.Query, head func(*engine.Report), each func(engine.Result) error) ([]string, error) {
	if profile != nil {
		return eng.ProfileEach(*profile, func(h *engine.Report) error {
			head(h)
			return nil
		}, each)
	}
	head(eng.NewReport())
	return eng.RunEach(queries, func(_ int, r engine.Result) error { return each(r) })
}

// colorOK reports whether text written to w may be coloured: w is a
// terminal and NO_COLOR is unset or empty (no-color.org).
func colorOK(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	return ok && getenv("NO_COLOR") == "" && term.IsTerminal(int(f.Fd()))
}

// withOptions reads --named-locations and --ml-dependencies and returns
// the engine that uses them.
func withOptions(eng *engine.Engine, namedLocations, mlDeps string) (*engine.Engine, error) {
	var opts engine.Options
	if namedLocations != "" {
		data, err := os.ReadFile(namedLocations)
		if err != nil {
			return nil, fmt.Errorf("--named-locations: %w", err)
		}
		if opts.NamedLocations, err = engine.ParseNamedLocations(namedLocations, data); err != nil {
			return nil, fmt.Errorf("--named-locations: %w", err)
		}
	}
	if mlDeps != "" {
		data, err := os.ReadFile(mlDeps)
		if err != nil {
			return nil, fmt.Errorf("--ml-dependencies: %w", err)
		}
		if opts.MLDependencies, err = engine.ParseMLDependencies(mlDeps, data); err != nil {
			return nil, fmt.Errorf("--ml-dependencies: %w", err)
		}
	}
	if opts == (engine.Options{}) {
		return eng, nil
	}
	return engine.NewWithOptions(eng.Snapshot(), eng.Catalog(), opts), nil
}

// writeJSON writes v as indented JSON with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// fail prints "vnetpath CMD: err" to stderr and returns the input-error
// exit status.
func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "vnetpath %s: %s\n", cmd, userTerms(err))
	return exitUsage
}

// userTerms writes an error in the CLI's terms: a query's source,
// destination, subnet, NIC or address is named by the flag that gave it
// (--from "x": ...), which the library cannot know.
func userTerms(err error) string {
	var ie *engine.InputError
	if !errors.As(err, &ie) {
		return err.Error()
	}
	s := fmt.Sprintf("%s %q: %s", flagName(ie.Arg), ie.Value, ie.Msg)
	if len(ie.Candidates) > 0 {
		s += "; candidates:\n  " + strings.Join(ie.Candidates, "\n  ")
	}
	return s
}
