package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vnetpath/vnetpath/diff"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

func diffCommand() *command {
	return &command{
		name:     "diff",
		summary:  "which answers a change changes: two snapshots, or a snapshot and a template or plan",
		synopsis: "--before PATH (--after PATH | --template FILE | --plan FILE) [--from SRC ...] [--to DST ...] [--port N] [--protocol P] [flags]",
		about: `Answers the same questions on the estate before and after a change and
prints only the answers that changed, each with both verdicts and the
resources whose change caused it (those its path, rules or DNS chain touched
before or after), led by a summary.

The estate after is a second snapshot (--after), or the one before with ARM
deployment templates or Terraform plans applied on top (--template, --plan,
as for check), so that a pull request shows what it would break before it
is deployed. --from, --to, --port and --protocol are check's; without --to,
the Azure ML profile of every workspace from every workload subnet, of the
estate after (and of the estate before for subnets that only exist there).
Only answers that a changed resource can affect are checked again; --full
checks every answer.`,
		examples: [][2]string{
			{"what a Terraform plan would change, for the pull request that holds it",
				"terraform show -json plan.out > plan.json\n" +
					"  vnetpath diff --before snap/ --plan plan.json"},
			{"the example: a plan that unlinks the workspace's privatelink zone from the hub (exits 1)",
				"vnetpath diff --before examples/contoso --plan examples/contoso-changes/unlink-api-zone.plan.json"},
			{"a deployment template with its parameters, in the resource group it deploys to, as JSON (exits 1: the next hop is a VM)",
				"vnetpath diff --before examples/contoso --template examples/contoso-changes/default-route.json \\\n" +
					"      --parameters examples/contoso-changes/default-route.parameters.json \\\n" +
					"      --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-spoke-ml -o json"},
			{"two snapshots, for one flow",
				"vnetpath diff --before snap/ --after snap-new/ --from vnet-spoke-ml/snet-train --to management.azure.com"},
		},
		exit: "0 when no answer that was reachable stops being reachable, 1 when one does,\n2 for usage or input errors.",
		run:  runDiff,
	}
}

func runDiff(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	var (
		in            inputs
		before, after multiFlag
		full          = fs.Bool("full", false, "check every answer again, not only those the change can affect")
	)
	fs.Var(&before, "before", "the snapshot `PATH` before the change: a JSON file or a directory of them (repeatable)")
	fs.Var(&after, "after", "the snapshot `PATH` after the change (repeatable); or give --template or --plan")
	in.changes.register(fs)
	fs.StringVar(&in.serviceTags, "service-tags", "", "service-tag `FILE` (weekly download or Discovery API response)")
	fs.BoolVar(&in.lenient, "lenient", false, "turn resource errors into warnings and drop only the faulty resources")
	flow := registerFlow(fs)
	format := fs.format("text", "text", "json")
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
	switch {
	case len(before) == 0:
		return fs.usageError("--before is required")
	case len(after) == 0 && !in.changes.given():
		return fs.usageError("give the estate after the change: --after PATH, or --template FILE or --plan FILE to apply to --before")
	case len(after) > 0 && in.changes.given():
		return fs.usageError("--after is a snapshot of the estate after the change; --template and --plan apply a change to --before instead: give one or the other")
	}
	for _, f := range []struct {
		name  string
		paths multiFlag
	}{{"--before", before}, {"--after", after}} {
		for _, p := range f.paths {
			if p == "-" {
				return fs.usageError("%s - is not supported: give a path (a plan can be read from standard input with --plan -)", f.name)
			}
		}
	}

	bres, warnings, err := in.loadSnapshot(e.stdin, before, false)
	if err != nil {
		return fail(e.stderr, c.name, inEstate("before", err))
	}
	paths, candidates := []string(after), []string(nil)
	if len(after) == 0 {
		paths = before
	}
	ares, awarn, err := in.loadSnapshot(e.stdin, paths, len(after) == 0)
	if err != nil {
		return fail(e.stderr, c.name, inEstate("after", err))
	}
	if len(after) == 0 {
		candidates = ares.Touched
		if candidates == nil {
			candidates = []string{}
		}
	}
	cat, catWarn, err := in.catalog()
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	opts := diff.Options{From: flow.from, To: flow.to, Full: *full}
	opts.Port, opts.Protocol = flow.given()
	rep, err := diff.Compare(engine.New(bres.Snapshot, cat), engine.New(ares.Snapshot, cat), opts, candidates)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	rep.Before.Inputs = before
	rep.After.Inputs = after
	if len(after) == 0 {
		rep.After.Inputs = append(append([]string(nil), before...), ares.Files[len(ares.Files)-len(in.changes.list):]...)
	}
	rep.Warnings = uniqueStrings(append(append(sides(warnings, awarn), catWarn...), rep.Warnings...))
	if format.value == "json" {
		err = writeJSON(e.stdout, rep)
	} else {
		err = writeDiffText(e.stdout, rep)
		printWarnings(e.stderr, rep.Warnings)
	}
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	if rep.Regressed() {
		return exitNotReach
	}
	return exitOK
}

// inEstate says which estate an error is about, unless it names its file.
func inEstate(which string, err error) error {
	var ie *engine.InputError
	if errors.As(err, &ie) {
		return err
	}
	return fmt.Errorf("the estate %s the change: %w", which, err)
}

// sides merges the warnings of the estates before and after: those of
// both once, the others prefixed with the estate they are about.
func sides(before, after []string) []string {
	inAfter := map[string]bool{}
	for _, w := range after {
		inAfter[w] = true
	}
	inBefore := map[string]bool{}
	var out []string
	for _, w := range before {
		inBefore[w] = true
		if inAfter[w] {
			out = append(out, w)
		} else {
			out = append(out, "before: "+w)
		}
	}
	for _, w := range after {
		if !inBefore[w] {
			out = append(out, "after: "+w)
		}
	}
	return out
}

// uniqueStrings returns ss without repeats, in order: a warning shown once.
func uniqueStrings(ss []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// writeDiffText prints a diff: the summary first, then each changed answer
// with both verdicts, reasons and causes, then the changed resources.
func writeDiffText(w io.Writer, r *diff.Report) error {
	s := r.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", s.Headline())
	noun := "resources"
	if s.Resources == 1 {
		noun = "resource"
	}
	fmt.Fprintf(&b, "%d answers compared, %d checked again after the change; %d %s changed\n", s.Compared, s.Rechecked, s.Resources, noun)
	change := map[string]diff.ChangeKind{}
	for _, rc := range r.Resources {
		change[topology.Key(rc.ID)] = rc.Change
	}
	for _, e := range r.Changed {
		label := "CHANGED"
		switch {
		case e.Before == nil:
			label = "NEW"
		case e.After == nil:
			label = "GONE"
		case e.NoLongerReachable():
			label = "NO LONGER REACHABLE"
		case e.NowReachable():
			label = "NOW REACHABLE"
		}
		what := e.Destination
		if e.Purpose != "" {
			what += " (" + e.Purpose + ")"
		}
		fmt.Fprintf(&b, "\n%s  %s → %s %s/%d\n", label, topology.ShortName(e.Source), what, e.Protocol, e.Port)
		if e.Workspace != "" {
			fmt.Fprintf(&b, "  workspace %s\n", topology.NameOf(e.Workspace))
		}
		side := func(name string, sd *diff.Side, gone string) {
			if sd == nil {
				fmt.Fprintf(&b, "  %s %s\n", name, gone)
				return
			}
			fmt.Fprintf(&b, "  %s %s: %s\n", name, sd.Verdict, sd.Reason)
		}
		side("before:", e.Before, "(not asked: no such source, or the profile did not need this check)")
		side("after: ", e.After, "(not asked: the source is gone or holds no workloads, or the profile no longer needs this check)")
		if len(e.Causes) > 0 {
			var cs []string
			for _, id := range e.Causes {
				cs = append(cs, topology.ShortName(id)+" ("+string(change[topology.Key(id)])+")")
			}
			fmt.Fprintf(&b, "  caused by: %s\n", strings.Join(cs, ", "))
		}
	}
	if len(r.Resources) > 0 {
		fmt.Fprintf(&b, "\nresources changed:\n")
		for _, rc := range r.Resources {
			fmt.Fprintf(&b, "  %-8s %s\n", rc.Change, rc.ID)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
