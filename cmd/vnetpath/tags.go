package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/suggest"
	"github.com/vnetpath/vnetpath/servicetags"
)

func tagsCommand() *command {
	return &command{
		name:     "tags",
		summary:  "look up, show and diff service tags",
		synopsis: "--service-tags FILE (lookup IP|CIDR | show TAG | diff --old FILE) [flags]\n       vnetpath tags --update --location REGION --out FILE [--subscription ID]",
		about: `Reads a service-tag catalog (the weekly download, ServiceTags_Public_YYYYMMDD.json
or the Government and China files, or a Discovery API response) and
  lookup IP|CIDR  lists the tags that contain the address, most specific first;
  show TAG        prints a tag's region, features and prefixes (a regional
                  name may use the region field: Storage.westeurope);
  diff --old FILE lists the tags added, removed and changed since FILE.
With --update it downloads the current catalog through the Service Tag
Discovery API (read-only; Reader on the subscription, signed in as for
'vnetpath collect') and writes it where --service-tags can read it.`,
		examples: [][2]string{
			{"which tags hold an address", "vnetpath tags --service-tags ServiceTags_Public_20251028.json lookup 4.149.98.200"},
			{"a tag's prefixes", "vnetpath tags --service-tags ServiceTags_Public_20251028.json show AzureActiveDirectory"},
			{"what changed between two weeks, as JSON",
				"vnetpath tags --service-tags ServiceTags_Public_20251028.json diff --old ServiceTags_Public_20250728.json -o json"},
			{"download this week's catalog", "vnetpath tags --update --location westeurope --out servicetags.json"},
		},
		exit: "0 when the answer is printed, 2 for usage or input errors.",
		run:  runTags,
	}
}

// runTags looks up, shows and diffs service tags. Flags may come before or
// after the verb and its argument.
func runTags(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	file := fs.String("service-tags", "", "the service-tag `FILE`: a weekly download or a Discovery API response")
	old := fs.String("old", "", "for diff: the older catalog `FILE`")
	format := fs.format("text", "text", "json")
	lenient := fs.Bool("lenient", false, "skip malformed entries with a warning instead of failing")
	update := fs.Bool("update", false, "download the catalog from Azure (Service Tag Discovery API) into --out FILE")
	location := fs.String("location", "", "for --update: the `REGION` asked, such as westeurope")
	out := fs.String("out", "", "for --update: the catalog `FILE` to write")
	subscription := fs.String("subscription", "", "for --update: the subscription `ID` asked (default: the first readable)")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	stdout, stderr := e.stdout, e.stderr
	if *update {
		return runTagsUpdate(fs, pos, *location, *out, *subscription)
	}
	if len(pos) == 0 {
		return fs.usageError("missing verb: lookup, show or diff")
	}
	verb, rest := pos[0], pos[1:]
	switch verb {
	case "lookup", "show":
		if len(rest) != 1 {
			return fs.usageError("%s takes one argument", verb)
		}
	case "diff":
		if len(rest) != 0 {
			return fs.usageError("diff takes no argument; name the older file with --old")
		}
		if *old == "" {
			return fs.usageError("diff needs --old FILE")
		}
	default:
		msg := fmt.Sprintf("unknown verb %q: want lookup, show or diff", verb)
		if s, ok := suggest.Likely(verb, []string{"lookup", "show", "diff"}); ok {
			msg += "; did you mean " + s + "?"
		}
		return fs.usageError("%s", msg)
	}
	if *file == "" {
		return fs.usageError("--service-tags FILE is required")
	}
	var query netip.Prefix
	if verb == "lookup" {
		q, err := cidr.ParsePrefix(rest[0])
		if err != nil {
			return fs.usageError("lookup %v", err)
		}
		query = q
	}

	opts := servicetags.Options{Lenient: *lenient}
	cat, err := loadTags(*file, opts, stderr)
	if err != nil {
		return fail(stderr, c.name, err)
	}
	asJSON := format.value == "json"
	switch verb {
	case "lookup":
		r := cat.LookupReport(query)
		if asJSON {
			return writeTagsJSON(stdout, stderr, r)
		}
		printTagLookup(stdout, r)
	case "show":
		t, err := cat.Resolve(rest[0])
		if errors.Is(err, servicetags.ErrUnknownTag) {
			return fail(stderr, "tags show", fmt.Errorf("%w in %s; the closest are:\n  %s", err, *file, strings.Join(cat.ClosestTags(rest[0], 5), "\n  ")))
		} else if err != nil {
			return fail(stderr, "tags show", fmt.Errorf("%w (in %s)", err, *file))
		}
		if asJSON {
			return writeTagsJSON(stdout, stderr, t)
		}
		printTagShow(stdout, t)
	case "diff":
		prev, err := loadTags(*old, opts, stderr)
		if err != nil {
			return fail(stderr, c.name, err)
		}
		d := servicetags.Diff(prev, cat)
		if asJSON {
			return writeTagsJSON(stdout, stderr, d)
		}
		printTagDiff(stdout, prev, cat, d)
	}
	return exitOK
}

// loadTags parses a catalog and prints its warnings to stderr.
func loadTags(file string, opts servicetags.Options, stderr io.Writer) (*servicetags.Catalog, error) {
	c, err := servicetags.ParseFile(file, opts)
	if err != nil {
		return nil, err
	}
	printWarnings(stderr, c.Warnings())
	return c, nil
}

func writeTagsJSON(stdout, stderr io.Writer, v any) int {
	if err := writeJSON(stdout, v); err != nil {
		return fail(stderr, "tags", err)
	}
	return exitOK
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printTagLookup(w io.Writer, r servicetags.LookupReport) {
	catalog := fmt.Sprintf("%s catalog, change %d", dashIfEmpty(r.Cloud), r.ChangeNumber)
	if len(r.Tags) == 0 {
		fmt.Fprintf(w, "%s is in no service tag (%s)\n", r.Address, catalog)
		return
	}
	fmt.Fprintf(w, "%s is in %d service tags, most specific first (%s):\n", r.Address, len(r.Tags), catalog)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tREGION\tSYSTEM SERVICE\tPREFIX")
	for _, t := range r.Tags {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, dashIfEmpty(t.Region), dashIfEmpty(t.SystemService), t.Prefix)
	}
	tw.Flush()
}

func printTagShow(w io.Writer, t servicetags.Tag) {
	v4 := 0
	for _, p := range t.Prefixes {
		if p.Addr().Is4() {
			v4++
		}
	}
	features := t.Features.String()
	if features == "" {
		features = "none listed"
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "tag\t%s\n", t.Name)
	fmt.Fprintf(tw, "region\t%s\n", dashIfEmpty(t.Region))
	fmt.Fprintf(tw, "system service\t%s\n", dashIfEmpty(t.SystemService))
	fmt.Fprintf(tw, "change number\t%d\n", t.ChangeNumber)
	fmt.Fprintf(tw, "network features\t%s\n", features)
	fmt.Fprintf(tw, "prefixes\t%d (%d IPv4, %d IPv6)\n", len(t.Prefixes), v4, len(t.Prefixes)-v4)
	tw.Flush()
	for _, p := range t.Prefixes {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

func printTagDiff(w io.Writer, old, new *servicetags.Catalog, d servicetags.DiffResult) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "old\t%s catalog, change %d, %d tags\n", dashIfEmpty(old.Cloud()), old.ChangeNumber(), old.Len())
	fmt.Fprintf(tw, "new\t%s catalog, change %d, %d tags\n", dashIfEmpty(new.Cloud()), new.ChangeNumber(), new.Len())
	tw.Flush()
	fmt.Fprintf(w, "%d added, %d removed, %d changed\n", len(d.Added), len(d.Removed), len(d.Changed))
	for _, l := range []struct {
		title string
		names []string
	}{{"added", d.Added}, {"removed", d.Removed}} {
		if len(l.names) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", l.title)
		for _, n := range l.names {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	if len(d.Changed) == 0 {
		return
	}
	fmt.Fprintln(w, "\nchanged:")
	tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  TAG\tADDED\tREMOVED")
	for _, c := range d.Changed {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", c.Name, len(c.Added), len(c.Removed))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nprefix changes:")
	for _, c := range d.Changed {
		fmt.Fprintf(w, "  %s\n", c.Name)
		for _, p := range c.Added {
			fmt.Fprintf(w, "    + %s\n", p)
		}
		for _, p := range c.Removed {
			fmt.Fprintf(w, "    - %s\n", p)
		}
	}
}
