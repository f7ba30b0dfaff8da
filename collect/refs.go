package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/vnetpath/vnetpath/topology"
)

// reference is a resource that collected resources name by ID and that is
// not itself collected: a hub VNet in another subscription, a shared
// private zone, a parent firewall policy.
type reference struct {
	id     string            // the top-level resource ID, as first spelled
	kind   *kind             // its type
	by     map[string]string // topology.Key(referrer) -> referrer ID
	tried  bool              // a GET was sent, or it was decided not to send one
	status int               // the HTTP status of a failed GET
	reason string            // why it is missing; "" when fetched
}

// refsIn returns every string in a resource's JSON that is an ARM ID under
// /subscriptions/ — nested {"id": ...} references, and string fields and
// arrays such as privateLinkServiceId or sourceIpGroups — outside tags.
func refsIn(raw json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if !strings.EqualFold(k, "tags") {
					walk(y)
				}
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			const p = "/subscriptions/"
			if len(x) > len(p) && strings.EqualFold(x[:len(p)], p) {
				out = append(out, x)
			}
		}
	}
	walk(v)
	return out
}

// topLevel returns the ID and type of the top-level resource an ID names
// or lies under ("/.../virtualNetworks/hub" for a subnet of hub).
func topLevel(id string) (top, typ string, ok bool) {
	r, ok := topology.ParseResourceID(id)
	if !ok || r.Subscription == "" || r.ResourceGroup == "" {
		return "", "", false
	}
	top = "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup +
		"/providers/" + r.Provider + "/" + r.Types[0] + "/" + r.Names[0]
	return top, r.Provider + "/" + r.Types[0], true
}

// note records that referrer names id; it is a no-op when the resource, or
// the top-level resource it lies under, is collected. Called with c.mu held.
func (c *collector) note(referrer, id string) {
	top, typ, ok := topLevel(id)
	if !ok {
		return
	}
	key := topology.Key(top)
	if _, ok := c.res[key]; ok {
		return
	}
	k, ok := c.byType[strings.ToLower(typ)]
	if !ok || (k.get == nil && !k.isREST()) || c.isChild(k) {
		lt := strings.ToLower(typ)
		if _, seen := c.refs[key]; !seen {
			c.refs[key] = &reference{id: top, tried: true} // counted once
			if _, ok := c.spelling[lt]; !ok {
				c.spelling[lt] = typ
			}
			c.unmodel[lt]++
		}
		return
	}
	r := c.refs[key]
	if r == nil {
		r = &reference{id: top, kind: k, by: map[string]string{}}
		c.refs[key] = r
	}
	if r.by != nil {
		r.by[topology.Key(referrer)] = referrer
	}
}

// follow fetches, wave by wave, the resources that collected (and fetched)
// resources reference but that no listing returned, with their children,
// up to Options.MaxReferences of them. What cannot be fetched is recorded
// with the reason.
func (c *collector) follow(ctx context.Context) {
	limit := c.opts.MaxReferences
	if limit == 0 {
		limit = DefaultMaxReferences
	}
	budget := max(limit, 0)
	scanned := map[string]bool{}
	for {
		c.mu.Lock()
		for key, e := range c.res {
			if scanned[key] {
				continue
			}
			scanned[key] = true
			for _, id := range refsIn(e.raw) {
				c.note(e.id, id)
			}
		}
		var wave []*reference
		for key, r := range c.refs {
			if r.tried || r.kind == nil {
				continue
			}
			r.tried = true
			if _, ok := c.res[key]; ok {
				continue // listed by a child lister since
			}
			switch {
			case limit < 0:
				r.reason = "not fetched: following references is turned off (Options.MaxReferences < 0)"
			case budget == 0:
				r.reason = fmt.Sprintf("not fetched: the limit of %d referenced resources was reached", limit)
			case ctx.Err() != nil:
				r.reason = problemOf(ctx.Err()).Message
			default:
				budget--
				wave = append(wave, r)
			}
		}
		c.mu.Unlock()
		if len(wave) == 0 {
			return
		}
		for _, r := range wave {
			c.spawn(ctx, func() { c.fetch(ctx, r) })
		}
		c.wg.Wait()
	}
}

// fetch reads one referenced resource by ID, then lists its children.
func (c *collector) fetch(ctx context.Context, r *reference) {
	pid, _ := topology.ParseResourceID(r.id)
	cl, err := c.clients(pid.Subscription)
	var v any
	if err == nil {
		if err = ctx.Err(); err == nil {
			if r.kind.isREST() {
				v, err = c.rest.get(ctx, r.id, r.kind.APIVersion)
			} else {
				v, err = r.kind.get(ctx, cl, pid.ResourceGroup, pid.Name())
			}
		}
	}
	if err != nil {
		status, reason := missingReason(err)
		c.mu.Lock()
		r.status, r.reason = status, reason
		c.mu.Unlock()
		return
	}
	if e := c.add(r.kind, v, true); e != nil {
		c.children(ctx, r.kind, cl, []*entry{e})
	}
}

// missingReason explains why a referenced resource could not be read.
func missingReason(err error) (int, string) {
	p := problemOf(err)
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return 0, p.Message
	}
	what := p.Code
	if what == "" {
		what = http.StatusText(re.StatusCode)
	}
	switch re.StatusCode {
	case http.StatusForbidden, http.StatusUnauthorized:
		return re.StatusCode, "not readable with this credential (" + what + "): give it the Reader role on the resource's subscription"
	case http.StatusNotFound:
		return re.StatusCode, "not found (" + what + "): the reference names a resource that does not exist"
	}
	return re.StatusCode, "GET failed (" + what + "): " + p.Message
}
