package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"time"

	"golang.org/x/term"

	"github.com/vnetpath/vnetpath/collect"
)

// azureAccess returns the credential and client options of the commands
// that read Azure (collect, tags --update), in the Credential and
// ClientOptions of collect.Options: the SDK's default credential chain and
// default options. Tests replace it with a fake Azure.
var azureAccess = func() (collect.Options, error) {
	cred, err := collect.DefaultCredential()
	return collect.Options{Credential: cred}, err
}

func collectCommand() *command {
	return &command{
		name:     "collect",
		summary:  "read an estate from Azure, read-only, into a snapshot directory",
		synopsis: "--out DIR [--subscription ID ...] [--resource-group NAME ...] [flags]",
		about: `Reads an Azure estate, read-only, and writes a snapshot directory that
check, routes and resolve read as it is:

  DIR/virtualNetworks.json, routeTables.json, ...   one file per resource type,
      {"value": [...]} of ARM JSON: VNets (with subnets and peerings), route
      tables, NSGs, application security groups, NICs, private endpoints,
      Azure Firewalls, firewall policies and rule collection groups, IP groups,
      gateways, local network gateways, connections, NAT gateways, public IPs
      and public IP prefixes, private DNS zones with their records and links,
      DNS Private Resolvers, forwarding rulesets, Azure ML workspaces, load
      balancers, network managers with their security admin configurations
      and rule collections, Virtual WANs and virtual hubs
  DIR/manifest.json   what was read: time, subscriptions, API version and
      count per type, errors, warnings, and referenced resources that could
      not be read

Only GET requests are sent; nothing in Azure is changed. Resources in other
subscriptions that collected ones reference (a hub VNet, a shared firewall
policy) are read by ID as well.

Authentication: the Azure SDK's DefaultAzureCredential, which tries in turn
the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or
a certificate), workload identity, managed identity, the Azure CLI, the
Azure Developer CLI and Azure PowerShell. The common way: run 'az login'.

Permission: the Reader role on the subscriptions (or resource groups) to
collect, and on those their resources reference. Without it a subscription
answers 403: it is skipped and named in manifest.json; a referenced resource
that cannot be read is listed there as missing, and answers that depend on
it are 'unknown'.`,
		examples: [][2]string{
			{"every subscription 'az login' can read, then check it", "vnetpath collect --out snap/ && vnetpath check --snapshot snap/"},
			{"two subscriptions, with more time", "vnetpath collect --out snap/ --subscription 11111111-2222-3333-4444-555555555555 --subscription 66666666-7777-8888-9999-000000000000 --timeout 20m"},
			{"two resource groups (what they reference is read too)", "vnetpath collect --out snap/ --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-connectivity --resource-group rg-ml"},
		},
		exit: "0 when everything was read; 1 when the snapshot is partial (errors or missing references in manifest.json, or --timeout passed); 2 for usage errors or when nothing could be read.",
		run:  runCollect,
	}
}

// runCollect reads an estate from Azure into a snapshot directory.
func runCollect(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	out := fs.String("out", "", "the snapshot `DIR` to write (created when absent)")
	var subs, groups multiFlag
	fs.Var(&subs, "subscription", "subscription `ID` to read (repeatable; default: every subscription the credential can read)")
	fs.Var(&groups, "resource-group", "read only the resource group `NAME` (repeatable); resources it references are still read")
	timeout := fs.Duration("timeout", 10*time.Minute, "stop after `D` and write what was read")
	maxRefs := fs.Int("max-references", collect.DefaultMaxReferences, "read at most `N` referenced resources outside the scope (0: none)")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	stdout, stderr := e.stdout, e.stderr
	switch {
	case len(pos) > 0:
		return fs.usageError("unexpected argument %q", pos[0])
	case *out == "":
		return fs.usageError("missing --out DIR")
	case *timeout <= 0:
		return fs.usageError("--timeout %s: want a positive duration such as 10m", *timeout)
	case *maxRefs < 0:
		return fs.usageError("--max-references %d: want 0 or more", *maxRefs)
	}
	access, err := azureAccess()
	if err != nil {
		return fail(stderr, "collect", fmt.Errorf("no Azure credential: %w (sign in with 'az login')", err))
	}
	refs := *maxRefs
	if refs == 0 {
		refs = -1 // collect.Options: negative turns following off
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	m, err := collect.Run(ctx, collect.Options{
		Out:            *out,
		Subscriptions:  subs,
		ResourceGroups: groups,
		Credential:     access.Credential,
		ClientOptions:  access.ClientOptions,
		Progress:       terminal(stderr),
		ToolVersion:    toolVersion(),
		MaxReferences:  refs,
	})
	if m == nil {
		return fail(stderr, "collect", err)
	}
	printCollectSummary(stdout, stderr, *out, m)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "vnetpath collect: stopped after --timeout %s; the snapshot is partial\n", *timeout)
		return exitNotReach
	case err != nil:
		fmt.Fprintf(stderr, "vnetpath collect: %v\n", err)
		return exitNotReach
	case !m.Complete():
		return exitNotReach
	}
	return exitOK
}

// terminal returns w when it is a terminal (a progress line helps there),
// nil otherwise.
func terminal(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return w
	}
	return nil
}

// toolVersion is what manifest.json records of the vnetpath that wrote it:
// the line 'vnetpath version' prints.
func toolVersion() string {
	bi, ok := debug.ReadBuildInfo()
	return versionString(bi, ok, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}

// printCollectSummary prints what was written to stdout, and the errors,
// warnings and missing references to stderr (at most 20 of each; the
// manifest holds them all).
func printCollectSummary(stdout, stderr io.Writer, dir string, m *collect.Manifest) {
	total, files := 0, 0
	for _, tc := range m.Types {
		total += tc.Count
		files++
	}
	listed := 0
	for _, s := range m.Subscriptions {
		if s.Listed {
			listed++
		}
	}
	fmt.Fprintf(stdout, "wrote %d resources in %d files and %s to %s (%d of %d subscriptions listed, %d requests)\n",
		total, files, collect.ManifestFile, dir, listed, len(m.Subscriptions), m.Requests)
	const most = 20
	show := func(kind string, lines []string) {
		for i, l := range lines {
			if i == most {
				fmt.Fprintf(stderr, "%s: ... and %d more (see %s)\n", kind, len(lines)-most, collect.ManifestFile)
				return
			}
			fmt.Fprintf(stderr, "%s: %s\n", kind, l)
		}
	}
	var errs, warns, missing []string
	for _, p := range m.Errors {
		errs = append(errs, p.String())
	}
	for _, p := range m.Warnings {
		warns = append(warns, p.String())
	}
	for _, r := range m.Missing {
		missing = append(missing, fmt.Sprintf("%s (referenced by %d): %s", r.ID, len(r.ReferencedBy), r.Reason))
	}
	show("error", errs)
	show("warning", warns)
	show("missing", missing)
}
