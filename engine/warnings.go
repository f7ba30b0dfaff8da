package engine

import (
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// A profile of every source repeats some warnings for every VNet or NSG:
// without reverse zones, the private endpoint addresses of each workspace
// do not reverse-resolve from any VNet; without a service-tag catalog,
// every spoke's NSG has rules that name tags. A warning per VNet and
// workspace made an estate of 1,000 spokes print 3,000 warnings, 21,000
// lines that said the same thing and buried the answer. A report says it
// once: the warnings that say the same of several subjects become one
// that counts and names them. A result keeps its own warning, which names
// its subject.

// subjectWarning is a warning that says something (key) of one subject:
// a VNet, an NSG rule. many says it of n subjects, named in names.
type subjectWarning struct {
	subject string
	key     string
	many    func(n int, names string) string
}

// subjectNames is how many subjects a merged warning names; it counts the
// others.
const subjectNames = 3

// ownName stands in a VNet warning's key for the VNet it is about.
const ownName = "\x00"

// keepWarning returns s, the warning w says of its subject, and keeps it
// for groupWarnings on the engine segment engines are made from.
func (e *Engine) keepWarning(s string, w subjectWarning) string {
	e.root().subjectWarnings.LoadOrStore(s, w)
	return s
}

// vnetWarning returns the warning that text holds from VNet vnet. Its key
// leaves out the VNet's own name ("VNet X"): VNets that resolve names
// themselves each need a reverse zone linked to them, and say so in their
// own names.
func (e *Engine) vnetWarning(vnet, text string) string {
	key := withoutName(text, "VNet "+vnet)
	return e.keepWarning("from VNet "+vnet+", "+text, subjectWarning{subject: vnet, key: "vnet " + key,
		many: func(n int, names string) string {
			return fmt.Sprintf("from %d VNets (%s), %s", n, names, strings.ReplaceAll(key, ownName, "each of them"))
		}})
}

// unknownTagsWarning returns the warning that NSG rule label names tags
// whose prefixes are unknown.
func (e *Engine) unknownTagsWarning(label string, tags []string) string {
	names := strings.Join(tags, ", ")
	const text = ", whose prefixes are unknown without a service-tag catalog; "
	return e.keepWarning(label+" names "+names+text+"it was matched by name only", subjectWarning{subject: label, key: "unknown tags " + names,
		many: func(n int, rules string) string {
			return fmt.Sprintf("%d NSG rules (%s) name %s%sthey were matched by name only", n, rules, names, text)
		}})
}

// peNSGWarning returns the warning that NSG nsg of subnet does not
// filter traffic to private endpoint pe: the subnet's endpoints each say
// it of themselves, and a report says it once for all of them.
func (e *Engine) peNSGWarning(nsg, subnet, pe string) string {
	const why = ": the subnet's privateEndpointNetworkPolicies are Disabled (reference §3.8)"
	of := "NSG " + nsg + " of " + subnet + " does not apply to private endpoint"
	return e.keepWarning(of+" "+pe+why, subjectWarning{subject: pe, key: "pe nsg " + nsg + " " + subnet,
		many: func(n int, names string) string {
			return fmt.Sprintf("%ss %s%s", of, names, why)
		}})
}

// peAt is a private endpoint in its subnet.
type peAt struct {
	pe     *topology.PrivateEndpoint
	subnet *topology.Subnet
}

// peNSGWarningAt is peNSGWarning for endpoint pe in subnet sn, whose
// context is dctx, made once per endpoint and subnet.
func (e *Engine) peNSGWarningAt(pe *topology.PrivateEndpoint, sn *topology.Subnet, dctx *subnetCtx) string {
	root, k := e.root(), peAt{pe, sn}
	if s, ok := root.peWarnings.Load(k); ok {
		return s
	}
	s := e.peNSGWarning(topology.NameOf(sn.NSG), dctx.name, pe.Name)
	root.peWarnings.Store(k, s)
	return s
}

// root returns the engine segment engines are made from.
func (e *Engine) root() *Engine {
	for e.parent != nil {
		e = e.parent
	}
	return e
}

// withoutName returns text with ownName for each whole occurrence of
// name: one not followed by a character a name goes on with.
func withoutName(text, name string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, name)
		if i < 0 {
			break
		}
		end := i + len(name)
		if end < len(text) && nameGoesOn(text[end:]) {
			b.WriteString(text[:end])
		} else {
			b.WriteString(text[:i])
			b.WriteString(ownName)
		}
		text = text[end:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text)
	return b.String()
}

// nameGoesOn reports whether rest, what follows a name in a sentence,
// goes on with the name: a letter, digit, '-' or '_', or a '.' that is
// not the end of a sentence.
func nameGoesOn(rest string) bool {
	switch c := rest[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		return true
	case c == '.':
		return len(rest) > 1 && rest[1] != ' '
	}
	return false
}

// groupWarnings returns the warnings of a report, in order: those that
// say the same of several subjects become one, where the first of them
// was ("from N VNets (A, B, C and N-3 more, each named in its answers'
// warnings), ...", "N NSG rules (...) name ..."). The others are kept as
// they are.
func (e *Engine) groupWarnings(list []string) []string {
	type group struct {
		at       int // its place in out
		first    subjectWarning
		subjects []string // in order, each once
		seen     map[string]bool
	}
	var out []string
	groups := map[string]*group{}
	kept := &e.root().subjectWarnings
	for _, s := range list {
		w, ok := kept.Load(s)
		if !ok {
			out = append(out, s)
			continue
		}
		g := groups[w.key]
		if g == nil {
			g = &group{at: len(out), first: w, seen: map[string]bool{}}
			groups[w.key] = g
			out = append(out, s)
		}
		if !g.seen[w.subject] {
			g.seen[w.subject] = true
			g.subjects = append(g.subjects, w.subject)
		}
	}
	for _, g := range groups {
		if n := len(g.subjects); n > 1 {
			names := countedNames(g.subjects, subjectNames)
			if n > subjectNames {
				names += ", each named in its answers' warnings"
			}
			out[g.at] = g.first.many(n, names)
		}
	}
	return out
}

// countedNames lists names, naming at most k of them and counting the
// rest: "a and b", "a, b and c", "a, b, c and 4 more".
func countedNames(names []string, k int) string {
	if len(names) > k {
		return strings.Join(names[:k], ", ") + fmt.Sprintf(" and %d more", len(names)-k)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
