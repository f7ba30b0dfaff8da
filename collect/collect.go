package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/topology"
)

// ManifestFile is the name of the manifest Run writes beside the resource
// files. The snapshot loader recognises it and skips it.
const ManifestFile = "manifest.json"

// Defaults of Options.
const (
	DefaultMaxReferences = 1000
	DefaultConcurrency   = 8
)

// Options say what Run collects and how. Out and Credential are required.
type Options struct {
	// Out is the directory the snapshot is written to; it is created when
	// absent. Files of a previous run are replaced.
	Out string
	// Subscriptions are the subscription IDs to list. Empty: every
	// subscription the credential can read.
	Subscriptions []string
	// ResourceGroups, when set, limits listing to the resource groups of
	// these names (in every subscription listed). Resources they reference
	// elsewhere are still fetched.
	ResourceGroups []string
	// Credential authenticates every request, such as
	// azidentity.NewDefaultAzureCredential.
	Credential azcore.TokenCredential
	// ClientOptions configure the clients (cloud, transport, retries). Run
	// adds its read-only and counting policies and, when Retry is zero,
	// its retry settings; the caller's value is not changed.
	ClientOptions *arm.ClientOptions
	// Progress, when not nil, receives a progress line, rewritten in place
	// with carriage returns (give it a terminal).
	Progress io.Writer
	// ToolVersion is written to the manifest.
	ToolVersion string
	// MaxReferences bounds how many referenced resources outside the
	// listed scope are fetched (0: DefaultMaxReferences; negative: none).
	// Those left are listed in Manifest.Missing.
	MaxReferences int
	// Concurrency is the number of requests in flight (0: DefaultConcurrency).
	Concurrency int
}

// Manifest says what a run collected and what it could not. It is written
// to ManifestFile in Options.Out.
type Manifest struct {
	Format         string         `json:"format"` // azure.ManifestFormat: tells the loader to skip the file
	Tool           string         `json:"tool"`
	Version        string         `json:"version,omitempty"`
	Started        time.Time      `json:"started"`
	Finished       time.Time      `json:"finished"`
	Endpoint       string         `json:"endpoint"`                 // the Azure Resource Manager endpoint read
	Subscriptions  []Subscription `json:"subscriptions"`            // the subscriptions listed
	ResourceGroups []string       `json:"resourceGroups,omitempty"` // the resource-group filter, when given
	Types          []TypeCount    `json:"types"`                    // one per file written, with its api-version and count
	Requests       int64          `json:"requests"`                 // requests sent, retries included
	// Errors are requests that failed: what they would have read may be
	// absent from the snapshot. The rest was collected.
	Errors []Problem `json:"errors"`
	// Warnings are notes that do not make the snapshot incomplete.
	Warnings []Problem `json:"warnings"`
	// Missing lists resources that collected resources reference but that
	// could not be fetched, with who references them and why.
	Missing []MissingReference `json:"missing"`
	// NotModelled counts references to resource types vnetpath does not
	// model (virtual machines, storage accounts, ...): not fetched.
	NotModelled map[string]int `json:"referencedTypesNotModelled,omitempty"`
}

// Complete reports whether the run had no error and left no reference
// missing.
func (m *Manifest) Complete() bool { return len(m.Errors) == 0 && len(m.Missing) == 0 }

// Subscription is one subscription in the scope of a run.
type Subscription struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	State string `json:"state,omitempty"`
	// Listed is false when the subscription could not be read or is
	// disabled: only resources referenced in it were fetched.
	Listed bool `json:"listed"`
}

// TypeCount is one file written.
type TypeCount struct {
	ResourceType
	Count      int `json:"count"`      // resources in the file
	Referenced int `json:"referenced"` // of which fetched because something referenced them
}

// Problem is one failed request or one note.
type Problem struct {
	Subscription  string `json:"subscription,omitempty"`
	ResourceGroup string `json:"resourceGroup,omitempty"`
	Type          string `json:"type,omitempty"`
	Request       string `json:"request,omitempty"` // "GET /subscriptions/..." without the query
	Status        int    `json:"status,omitempty"`
	Code          string `json:"code,omitempty"`
	Message       string `json:"message"`
}

// String renders p on one line, as the CLI prints it.
func (p Problem) String() string {
	var b strings.Builder
	if p.Type != "" {
		b.WriteString(p.Type)
	}
	if p.Subscription != "" {
		if b.Len() > 0 {
			b.WriteString(" in ")
		}
		b.WriteString("subscription " + p.Subscription)
		if p.ResourceGroup != "" {
			b.WriteString(" resource group " + p.ResourceGroup)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if p.Status != 0 {
		fmt.Fprintf(&b, "%d ", p.Status)
	}
	if p.Code != "" {
		b.WriteString(p.Code + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// MissingReference is a referenced resource that is not in the snapshot.
type MissingReference struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	ReferencedBy []string `json:"referencedBy"`
	Status       int      `json:"status,omitempty"` // the HTTP status of the GET, when one was sent
	Reason       string   `json:"reason"`
}

// Run lists the resources of every type [Types] names in the subscriptions
// (and resource groups) of opts, follows references to resources outside
// them, and writes one file per type ({"value": [...]}, ARM JSON as the SDK
// marshals it) and ManifestFile into opts.Out; the snapshot loader reads the
// directory as it is.
//
// Every request is a GET; the pipeline refuses any other method
// ([ErrNotReadOnly]). A request that fails (403 on a subscription, a
// provider not registered, 404, a timeout) is recorded in the manifest and
// the rest is collected; throttled requests (429, 5xx) are retried by
// azcore's retry policy, honouring Retry-After. ctx bounds the whole run:
// when it ends, what was collected is written and Run returns the manifest
// with an error wrapping ctx's error.
//
// Run returns a nil manifest and an error when nothing can be collected:
// options missing, the credential gives no token, no subscription is
// readable, or Out cannot be written.
func Run(ctx context.Context, opts Options) (*Manifest, error) {
	if opts.Out == "" {
		return nil, errors.New("no output directory given")
	}
	if opts.Credential == nil {
		return nil, errors.New("no credential given")
	}
	subs, err := cleanSubscriptions(opts.Subscriptions)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	c, err := newCollector(opts)
	if err != nil {
		return nil, err
	}
	stop := c.progress.start()
	defer stop()

	m := &Manifest{
		Format:         azure.ManifestFormat,
		Tool:           "vnetpath collect",
		Version:        opts.ToolVersion,
		Started:        time.Now().UTC().Truncate(time.Second),
		Endpoint:       c.rest.c.Endpoint(),
		ResourceGroups: slices.Clone(opts.ResourceGroups),
	}
	c.progress.phase("reading subscriptions")
	m.Subscriptions, err = c.subscriptions(ctx, subs)
	if err != nil {
		return nil, err
	}
	c.progress.phase("listing resources")
	for i := range m.Subscriptions {
		if s := &m.Subscriptions[i]; s.Listed {
			c.spawn(ctx, func() { c.collectSubscription(ctx, s) })
		}
	}
	c.wg.Wait()
	c.progress.phase("following references")
	c.follow(ctx)
	c.progress.phase("writing files")

	m.Types, err = c.write()
	m.Requests = c.requests.Load()
	m.Errors, m.Warnings, m.Missing, m.NotModelled = c.results()
	m.Finished = time.Now().UTC().Truncate(time.Second)
	if err != nil {
		return m, err
	}
	if err := writeJSON(filepath.Join(opts.Out, ManifestFile), m); err != nil {
		return m, err
	}
	if err := ctx.Err(); err != nil {
		return m, fmt.Errorf("collection stopped before the end; the snapshot is partial: %w", err)
	}
	return m, nil
}

var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// cleanSubscriptions accepts IDs as "GUID" or "/subscriptions/GUID" and
// drops repeats.
func cleanSubscriptions(in []string) ([]string, error) {
	var out []string
	for _, s := range in {
		id := strings.TrimPrefix(strings.Trim(strings.TrimSpace(s), "/"), "subscriptions/")
		if !guid.MatchString(id) {
			return nil, fmt.Errorf("subscription %q is not a subscription ID (a GUID such as 11111111-2222-3333-4444-555555555555)", s)
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, id) }) {
			out = append(out, id)
		}
	}
	return out, nil
}

// entry is one resource collected.
type entry struct {
	id, typ    string
	raw        json.RawMessage
	referenced bool // fetched because something referenced it
}

// collector holds the state of one run.
type collector struct {
	opts      Options
	cred      azcore.TokenCredential
	copts     arm.ClientOptions
	rest      *restClient
	kinds     []*kind
	byType    map[string]*kind // lower-case type -> kind (children and covered types too)
	rgFilter  map[string]bool  // lower-case names; nil: every group
	sem       chan struct{}
	wg        sync.WaitGroup
	requests  atomic.Int64
	progress  *progress
	clientsMu sync.Mutex
	clientsOf map[string]*clients // lower-case subscription ID

	mu       sync.Mutex
	res      map[string]*entry // topology.Key(id) -> entry
	errs     []Problem
	warns    []Problem
	refs     map[string]*reference // topology.Key(top-level id) -> reference
	unmodel  map[string]int
	spelling map[string]string // lower-case unmodelled type -> first spelling
}

func newCollector(opts Options) (*collector, error) {
	c := &collector{
		opts:      opts,
		cred:      opts.Credential,
		kinds:     kinds(),
		byType:    map[string]*kind{},
		clientsOf: map[string]*clients{},
		res:       map[string]*entry{},
		refs:      map[string]*reference{},
		unmodel:   map[string]int{},
		spelling:  map[string]string{},
	}
	for _, k := range c.kinds {
		c.byType[strings.ToLower(k.Type)] = k
	}
	if len(opts.ResourceGroups) > 0 {
		c.rgFilter = map[string]bool{}
		for _, g := range opts.ResourceGroups {
			c.rgFilter[strings.ToLower(strings.TrimSpace(g))] = true
		}
	}
	n := opts.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	c.sem = make(chan struct{}, n)
	c.progress = newProgress(opts.Progress, c)

	c.copts = pipelineOptions(opts.ClientOptions, func() { c.requests.Add(1) })
	rest, err := newRESTClient(c.cred, &c.copts)
	if err != nil {
		return nil, err
	}
	c.rest = rest
	return c, nil
}

// pipelineOptions returns a copy of in with collect's policies: count is
// called for every request sent, anything but GET is refused, and
// resource providers are never registered. When in
// sets no retry options, ARM's throttling (429 with Retry-After, in
// seconds) is honoured for waits up to two minutes, with a few more
// retries than azcore's default.
func pipelineOptions(in *arm.ClientOptions, count func()) arm.ClientOptions {
	var o arm.ClientOptions
	if in != nil {
		o = *in
	}
	o.PerRetryPolicies = append(slices.Clone(o.PerRetryPolicies), countPolicy{count: count}, readOnlyPolicy{})
	// azcore's ARM pipeline registers a resource provider (a POST) when a
	// request finds it unregistered; collect only reads, and reports it.
	o.DisableRPRegistration = true
	if r := o.Retry; r.MaxRetries == 0 && r.RetryDelay == 0 && r.MaxRetryDelay == 0 && r.TryTimeout == 0 && r.StatusCodes == nil && r.ShouldRetry == nil {
		o.Retry = policy.RetryOptions{MaxRetries: 6, RetryDelay: 2 * time.Second, MaxRetryDelay: 2 * time.Minute}
	}
	if o.Telemetry.ApplicationID == "" {
		o.Telemetry.ApplicationID = "vnetpath-collect"
	}
	return o
}

// clients returns the SDK client factories of a subscription.
func (c *collector) clients(sub string) (*clients, error) {
	c.clientsMu.Lock()
	defer c.clientsMu.Unlock()
	k := strings.ToLower(sub)
	if cl, ok := c.clientsOf[k]; ok {
		return cl, nil
	}
	net, err := armnetwork.NewClientFactory(sub, c.cred, &c.copts)
	if err != nil {
		return nil, err
	}
	dns, err := armprivatedns.NewClientFactory(sub, c.cred, &c.copts)
	if err != nil {
		return nil, err
	}
	cl := &clients{net: net, dns: dns}
	c.clientsOf[k] = cl
	return cl, nil
}

// spawn runs fn on its own goroutine once a request slot is free; Run
// waits for every spawned function (and those they spawn).
func (c *collector) spawn(ctx context.Context, fn func()) {
	c.wg.Go(func() {
		select {
		case c.sem <- struct{}{}:
		case <-ctx.Done():
			// Run the function anyway: it records what was not collected.
			fn()
			return
		}
		defer func() { <-c.sem }()
		fn()
	})
}

// subscriptions resolves the scope: the given subscriptions (read one by
// one for their names), or every subscription the credential can list.
func (c *collector) subscriptions(ctx context.Context, given []string) ([]Subscription, error) {
	client, err := armsubscriptions.NewClient(c.cred, &c.copts)
	if err != nil {
		return nil, err
	}
	usable := func(state string) bool {
		return state == "" || strings.EqualFold(state, "Enabled") || strings.EqualFold(state, "Warned") || strings.EqualFold(state, "PastDue")
	}
	var out []Subscription
	if len(given) == 0 {
		pager := client.NewListPager(nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("listing the subscriptions the credential can read: %w", fatal(err))
			}
			for _, s := range page.Value {
				if s == nil || s.SubscriptionID == nil {
					continue
				}
				out = append(out, Subscription{ID: *s.SubscriptionID, Name: deref(s.DisplayName), State: string(deref(s.State))})
			}
		}
		if len(out) == 0 {
			return nil, errors.New("the credential can read no subscription: give it the Reader role on the subscriptions to collect")
		}
		slices.SortFunc(out, func(a, b Subscription) int { return strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID)) })
		for i := range out {
			out[i].Listed = usable(out[i].State)
			if !out[i].Listed {
				c.warn(Problem{Subscription: out[i].ID, Message: "subscription is " + out[i].State + "; not listed"})
			}
		}
		return out, nil
	}
	for _, id := range given {
		s := Subscription{ID: id}
		resp, err := client.Get(ctx, id, nil)
		var re *azcore.ResponseError
		switch {
		case err == nil:
			s.Name, s.State = deref(resp.DisplayName), string(deref(resp.State))
			s.Listed = usable(s.State)
			if !s.Listed {
				c.warn(Problem{Subscription: id, Message: "subscription is " + s.State + "; not listed"})
			}
		case errors.As(err, &re):
			p := problemOf(err)
			p.Subscription = id
			if c.rgFilter != nil {
				// Reader on resource groups only: the subscription may be
				// unreadable while its groups are.
				s.Listed = true
				p.Message += "; listing the named resource groups anyway"
				c.warn(p)
			} else {
				p.Message += "; subscription not listed"
				c.fail(p)
			}
		default:
			return nil, fmt.Errorf("reading subscription %s: %w", id, fatal(err))
		}
		out = append(out, s)
	}
	return out, nil
}

// fatal explains an error that stops the run before anything is listed:
// most often the credential could not get a token.
func fatal(err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w (sign in with `az login`, or set the environment of a service principal or managed identity)", err)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// collectSubscription lists every type in one subscription.
func (c *collector) collectSubscription(ctx context.Context, s *Subscription) {
	cl, err := c.clients(s.ID)
	if err != nil {
		c.fail(Problem{Subscription: s.ID, Message: err.Error()})
		return
	}
	groups, groupsErr := c.resourceGroups(ctx, s.ID)
	if groupsErr != nil {
		p := problemOf(groupsErr)
		p.Subscription, p.Type = s.ID, "Microsoft.Resources/resourceGroups"
		if c.rgFilter == nil {
			p.Message += "; gateways, local network gateways and connections (listed per resource group) were listed only where referenced"
		}
		c.fail(p)
	}
	if c.rgFilter != nil {
		var named []string
		for _, g := range c.opts.ResourceGroups {
			g = strings.TrimSpace(g)
			i := slices.IndexFunc(groups, func(x string) bool { return strings.EqualFold(x, g) })
			switch {
			case i >= 0:
				named = append(named, groups[i])
			case groupsErr != nil:
				named = append(named, g) // unknown: try it
			}
		}
		if len(named) == 0 {
			c.warn(Problem{Subscription: s.ID, Message: "none of the resource groups " + strings.Join(c.opts.ResourceGroups, ", ") + " is in this subscription"})
		}
		groups = named
	}
	for _, k := range c.kinds {
		if k.child != nil || (k.sub == nil && k.rg == nil && !k.isREST()) || (k.isREST() && c.isChild(k)) {
			continue // listed under its parent, or by the lister of another type
		}
		if c.rgFilter == nil && (k.sub != nil || k.isREST()) {
			c.spawn(ctx, func() { c.list(ctx, k, cl, s.ID, "") })
			continue
		}
		for _, g := range groups {
			c.spawn(ctx, func() { c.list(ctx, k, cl, s.ID, g) })
		}
	}
}

// isChild reports whether k is listed under a parent kind.
func (c *collector) isChild(k *kind) bool {
	for _, p := range c.kinds {
		if slices.Contains(p.children, k) {
			return true
		}
	}
	return false
}

// resourceGroups lists the names of the resource groups of a subscription.
func (c *collector) resourceGroups(ctx context.Context, sub string) ([]string, error) {
	f, err := armresources.NewClientFactory(sub, c.cred, &c.copts)
	if err != nil {
		return nil, err
	}
	var out []string
	pager := f.NewResourceGroupsClient().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, g := range page.Value {
			if g != nil && g.Name != nil {
				out = append(out, *g.Name)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}

// list lists one top-level kind in a subscription (rg "") or a resource
// group, then the children of what it found.
func (c *collector) list(ctx context.Context, k *kind, cl *clients, sub, rg string) {
	var fn listFunc
	switch {
	case k.isREST():
		scope := "/subscriptions/" + sub
		if rg != "" {
			scope += "/resourceGroups/" + rg
		}
		fn = c.rest.list(scope+"/providers/"+k.rest, k.APIVersion)
	case rg == "":
		fn = k.sub(cl)
	default:
		fn = k.rg(cl, rg)
	}
	var found []*entry
	err := c.run(ctx, fn, func(v any) {
		if e := c.add(k, v, false); e != nil {
			found = append(found, e)
		}
	})
	if err != nil {
		c.listFailed(err, k.Type, sub, rg)
	}
	c.children(ctx, k, cl, found)
}

// run runs fn unless ctx has ended.
func (c *collector) run(ctx context.Context, fn listFunc, emit emitFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(ctx, emit)
}

// children lists the child kinds of k under each parent found, and their
// own children in turn (the rule collections of a network manager's
// security admin configurations).
func (c *collector) children(ctx context.Context, k *kind, cl *clients, parents []*entry) {
	for _, ck := range k.children {
		for _, p := range parents {
			pid, ok := topology.ParseResourceID(p.id)
			if !ok {
				continue
			}
			c.spawn(ctx, func() {
				var fn listFunc
				if ck.isREST() {
					fn = c.rest.list(strings.TrimRight(p.id, "/")+"/"+ck.rest, ck.APIVersion)
				} else {
					fn = ck.child(cl, pid)
				}
				var found []*entry
				err := c.run(ctx, fn, func(v any) {
					if e := c.add(ck, v, p.referenced); e != nil {
						found = append(found, e)
					}
				})
				if err != nil {
					c.listFailed(err, ck.Type+" of "+p.id, pid.Subscription, "")
				}
				c.children(ctx, ck, cl, found)
			})
		}
	}
}

// listFailed records a list that failed. A resource provider that is not
// registered, or a group that is gone, holds nothing: a warning.
func (c *collector) listFailed(err error, typ, sub, rg string) {
	p := problemOf(err)
	p.Type, p.Subscription, p.ResourceGroup = typ, sub, rg
	switch p.Code {
	case "MissingSubscriptionRegistration", "SubscriptionNotRegistered", "NoRegisteredProviderFound":
		p.Message = "resource provider not registered in the subscription, so it holds no such resource (" + p.Message + ")"
		c.warn(p)
	case "ResourceGroupNotFound":
		c.warn(p)
	default:
		c.fail(p)
	}
}

// add records one resource and returns its entry (nil when it was already
// collected or has no id).
func (c *collector) add(k *kind, v any, referenced bool) *entry {
	raw, ok := v.(json.RawMessage)
	if !ok {
		b, err := json.Marshal(v)
		if err != nil {
			c.fail(Problem{Type: k.Type, Message: "cannot encode a resource: " + err.Error()})
			return nil
		}
		raw = b
	}
	var head struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.ID == "" {
		c.fail(Problem{Type: k.Type, Message: "Azure returned a resource without an id; not written"})
		return nil
	}
	typ := k.Type
	if head.Type != "" {
		if known, ok := c.byType[strings.ToLower(head.Type)]; ok {
			typ = known.Type
		} else if k.covers != nil {
			typ = head.Type // a record type this version does not know
		}
	}
	e := &entry{id: head.ID, typ: typ, raw: raw, referenced: referenced}
	key := topology.Key(head.ID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.res[key]; dup {
		return nil
	}
	c.res[key] = e
	return e
}

func (c *collector) fail(p Problem) {
	c.mu.Lock()
	c.errs = append(c.errs, p)
	c.mu.Unlock()
}

func (c *collector) warn(p Problem) {
	c.mu.Lock()
	c.warns = append(c.warns, p)
	c.mu.Unlock()
}

// counts returns the resources and errors so far, for the progress line.
func (c *collector) counts() (resources, errs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.res), len(c.errs)
}

// problemOf describes a failed request in the user's terms: status, ARM
// error code and message, and the request path (never its headers).
func problemOf(err error) Problem {
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &re):
		p := Problem{Status: re.StatusCode, Code: re.ErrorCode}
		if r := re.RawResponse; r != nil {
			if r.Request != nil {
				p.Request = r.Request.Method + " " + r.Request.URL.Path
			}
			p.Message = armMessage(r)
		}
		if p.Message == "" {
			p.Message = http.StatusText(re.StatusCode)
		}
		return p
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Message: "not collected: the deadline passed (--timeout)"}
	case errors.Is(err, context.Canceled):
		return Problem{Message: "not collected: the run was interrupted"}
	}
	return Problem{Message: err.Error()}
}

// write writes one file per type and returns what each holds.
func (c *collector) write() ([]TypeCount, error) {
	groups := map[string][]*entry{}
	for _, e := range c.res {
		groups[e.typ] = append(groups[e.typ], e)
	}
	var out []TypeCount
	written := map[string]bool{}
	emit := func(rt ResourceType) error {
		es := groups[rt.Type]
		slices.SortFunc(es, func(a, b *entry) int { return strings.Compare(topology.Key(a.id), topology.Key(b.id)) })
		tc := TypeCount{ResourceType: rt, Count: len(es)}
		tc.Embeds = slices.Clone(rt.Embeds)
		list := struct {
			Value []json.RawMessage `json:"value"`
		}{Value: make([]json.RawMessage, 0, len(es))}
		for _, e := range es {
			list.Value = append(list.Value, e.raw)
			if e.referenced {
				tc.Referenced++
			}
		}
		written[rt.Type] = true
		out = append(out, tc)
		return writeJSON(filepath.Join(c.opts.Out, rt.File), list)
	}
	c.checkOutDir()
	for _, k := range c.kinds {
		if err := emit(k.ResourceType); err != nil {
			return out, err
		}
	}
	var extra []string
	for t := range groups {
		if !written[t] {
			extra = append(extra, t)
		}
	}
	slices.Sort(extra)
	for _, t := range extra {
		if err := emit(ResourceType{Type: t, File: fileName(t), APIVersion: privateDNSAPI}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkOutDir warns about .json files in Out that Run does not write: the
// loader reads them with the snapshot.
func (c *collector) checkOutDir() {
	ours := map[string]bool{strings.ToLower(ManifestFile): true}
	for _, k := range c.kinds {
		ours[strings.ToLower(k.File)] = true
	}
	des, err := os.ReadDir(c.opts.Out)
	if err != nil {
		return
	}
	for _, de := range des {
		n := de.Name()
		if strings.EqualFold(filepath.Ext(n), ".json") && !ours[strings.ToLower(n)] && !strings.HasPrefix(n, "privateDnsZones-") {
			c.warn(Problem{Message: filepath.Join(c.opts.Out, n) + " is not written by vnetpath collect; a snapshot read from the directory includes it"})
		}
	}
}

// writeJSON writes v, indented, to name through a temporary file renamed
// into place, so a reader never sees half a file.
func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b = append(b, '\n')
	f, err := os.CreateTemp(filepath.Dir(name), ".vnetpath-collect-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// results returns the problems and missing references, sorted.
func (c *collector) results() (errs, warns []Problem, missing []MissingReference, unmodelled map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sortProblems := func(ps []Problem) []Problem {
		ps = slices.Clone(ps)
		slices.SortStableFunc(ps, func(a, b Problem) int {
			return strings.Compare(a.Subscription+"\x00"+a.ResourceGroup+"\x00"+a.Type+"\x00"+a.Message,
				b.Subscription+"\x00"+b.ResourceGroup+"\x00"+b.Type+"\x00"+b.Message)
		})
		if ps == nil {
			ps = []Problem{}
		}
		return ps
	}
	missing = []MissingReference{}
	for _, r := range c.refs {
		if r.reason == "" {
			continue
		}
		by := make([]string, 0, len(r.by))
		for _, id := range r.by {
			by = append(by, id)
		}
		slices.SortFunc(by, func(a, b string) int { return strings.Compare(topology.Key(a), topology.Key(b)) })
		missing = append(missing, MissingReference{ID: r.id, Type: r.kind.Type, ReferencedBy: by, Status: r.status, Reason: r.reason})
	}
	slices.SortFunc(missing, func(a, b MissingReference) int { return strings.Compare(topology.Key(a.ID), topology.Key(b.ID)) })
	if len(c.unmodel) > 0 {
		unmodelled = map[string]int{}
		for k, n := range c.unmodel {
			unmodelled[c.spelling[k]] = n
		}
	}
	return sortProblems(c.errs), sortProblems(c.warns), missing, unmodelled
}
