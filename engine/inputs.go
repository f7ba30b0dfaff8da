package engine

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Options are inputs beyond the snapshot and the service-tag catalog that
// change some answers.
type Options struct {
	// NamedLocations are Entra Conditional Access's named locations: checks
	// of Entra ID then say whether the egress address is in a trusted one
	// (Result.ConditionalAccess).
	NamedLocations *NamedLocations
	// MLDependencies replaces the built-in table of what Azure ML compute
	// needs with a workspace's own list (see [ParseMLDependencies]).
	MLDependencies *MLDependencies
	// PerPair answers every query of [Engine.Run] alone, walking each
	// (source, destination) pair from scratch and sharing nothing between
	// queries but the snapshot's compiled resources. It is the reference
	// the shared path is tested against and the baseline of the scale
	// benchmarks: answers are the same, only slower.
	PerPair bool
	// MemoVNets bounds the memory of [Engine.RunEach] at estate scale: it
	// answers the queries in segments whose sources lie in at most this
	// many VNets, each on an engine of its own whose memoised state
	// (forwarding states, compiled rules, DNS answers, interned address
	// sets) is freed when the segment ends. 0 means 256; a negative value
	// keeps everything on the engine for the whole run. Answers are the
	// same either way.
	MemoVNets int
}

// NamedLocations are the IP named locations of Microsoft Graph's
// GET /identity/conditionalAccess/namedLocations answer.
type NamedLocations struct {
	File      string
	Locations []NamedLocation
	Skipped   int // named locations that are not IP ranges (countries)
}

// NamedLocation is an IP named location.
type NamedLocation struct {
	ID      string
	Name    string // displayName
	Trusted bool   // isTrusted
	Ranges  []netip.Prefix
}

// InputFileError is an input file vnetpath cannot read: the file, the JSON
// path of what is wrong and why.
type InputFileError struct {
	File string
	Path string // "$.value[2].ipRanges[0].cidrAddress"
	Msg  string
}

func (e *InputFileError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// ParseNamedLocations reads Microsoft Graph's list of Conditional Access
// named locations ({"value": [...]}, or one location) from data; name is
// the file it came from, for errors. IP named locations
// (#microsoft.graph.ipNamedLocation) are kept with their ranges and
// isTrusted; country locations are counted in Skipped.
func ParseNamedLocations(name string, data []byte) (*NamedLocations, error) {
	type ipRange struct {
		CIDR *string `json:"cidrAddress"`
	}
	type location struct {
		Type     string    `json:"@odata.type"`
		ID       string    `json:"id"`
		Name     string    `json:"displayName"`
		Trusted  bool      `json:"isTrusted"`
		IPRanges []ipRange `json:"ipRanges"`
	}
	var doc struct {
		Value *[]location `json:"value"`
		location
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &InputFileError{File: name, Msg: "not a Microsoft Graph namedLocations answer: " + err.Error()}
	}
	list, base := []location{doc.location}, "$"
	if doc.Value != nil {
		list, base = *doc.Value, "$.value"
	} else if doc.Type == "" && doc.IPRanges == nil {
		return nil, &InputFileError{File: name, Msg: `not a Microsoft Graph namedLocations answer: no "value" list and no named location`}
	}
	out := &NamedLocations{File: name}
	for i, l := range list {
		path := base
		if doc.Value != nil {
			path += "[" + strconv.Itoa(i) + "]"
		}
		if !strings.EqualFold(l.Type, "#microsoft.graph.ipNamedLocation") && l.IPRanges == nil {
			out.Skipped++
			continue
		}
		nl := NamedLocation{ID: l.ID, Name: l.Name, Trusted: l.Trusted}
		if nl.Name == "" {
			nl.Name = l.ID
		}
		for j, r := range l.IPRanges {
			p := path + ".ipRanges[" + strconv.Itoa(j) + "].cidrAddress"
			if r.CIDR == nil {
				return nil, &InputFileError{File: name, Path: p, Msg: "missing"}
			}
			pf, err := netip.ParsePrefix(strings.TrimSpace(*r.CIDR))
			if err != nil {
				return nil, &InputFileError{File: name, Path: p, Msg: fmt.Sprintf("%q is not a CIDR range", *r.CIDR)}
			}
			nl.Ranges = append(nl.Ranges, pf.Masked())
		}
		out.Locations = append(out.Locations, nl)
	}
	return out, nil
}

// MLDependencies is the list of outbound dependencies an Azure ML workspace
// reports (GET .../workspaces/{name}/outboundNetworkDependenciesEndpoints,
// the ExternalFQDNResponse shape): categories of domain names with their
// ports.
type MLDependencies struct {
	File       string
	Categories []DependencyCategory
}

// DependencyCategory is one category of the list ("Azure Active
// Directory", "Azure Storage", ...).
type DependencyCategory struct {
	Category  string
	Endpoints []DependencyEndpoint
}

// DependencyEndpoint is a domain name ("*.blob.core.windows.net" is a
// wildcard) and the ports it is reached on.
type DependencyEndpoint struct {
	Domain string
	Ports  []int
}

// ParseMLDependencies reads a workspace's outboundNetworkDependenciesEndpoints
// answer: {"value": [{"properties": {"category": ..., "endpoints":
// [{"domainName": ..., "endpointDetails": [{"port": 443}]}]}}]} (the
// properties may also sit directly in each value). name is the file it came
// from, for errors.
func ParseMLDependencies(name string, data []byte) (*MLDependencies, error) {
	type detail struct {
		Port *int `json:"port"`
	}
	type endpoint struct {
		Domain  string   `json:"domainName"`
		Details []detail `json:"endpointDetails"`
	}
	type props struct {
		Category  string     `json:"category"`
		Endpoints []endpoint `json:"endpoints"`
	}
	type item struct {
		Properties *props `json:"properties"`
		props
	}
	var doc struct {
		Value *[]item `json:"value"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &InputFileError{File: name, Msg: "not an outboundNetworkDependenciesEndpoints answer: " + err.Error()}
	}
	if doc.Value == nil {
		return nil, &InputFileError{File: name, Msg: `not an outboundNetworkDependenciesEndpoints answer: no "value" list`}
	}
	out := &MLDependencies{File: name}
	for i, it := range *doc.Value {
		path := "$.value[" + strconv.Itoa(i) + "]"
		p := it.props
		if it.Properties != nil {
			p, path = *it.Properties, path+".properties"
		}
		if strings.TrimSpace(p.Category) == "" && len(p.Endpoints) == 0 {
			return nil, &InputFileError{File: name, Path: path, Msg: "not an outbound dependency: no category and no endpoints"}
		}
		c := DependencyCategory{Category: strings.TrimSpace(p.Category)}
		for j, ep := range p.Endpoints {
			ep.Domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(ep.Domain)), ".")
			ep2 := path + ".endpoints[" + strconv.Itoa(j) + "]"
			if ep.Domain == "" || (!looksLikeFQDN(ep.Domain) && !looksLikeFQDN(strings.TrimPrefix(ep.Domain, "*."))) {
				return nil, &InputFileError{File: name, Path: ep2 + ".domainName", Msg: fmt.Sprintf("%q is not a domain name", ep.Domain)}
			}
			d := DependencyEndpoint{Domain: ep.Domain}
			for k, det := range ep.Details {
				if det.Port == nil {
					continue
				}
				if *det.Port < 1 || *det.Port > 65535 {
					return nil, &InputFileError{File: name, Path: ep2 + ".endpointDetails[" + strconv.Itoa(k) + "].port", Msg: fmt.Sprintf("port %d is outside 1-65535", *det.Port)}
				}
				d.Ports = append(d.Ports, *det.Port)
			}
			c.Endpoints = append(c.Endpoints, d)
		}
		out.Categories = append(out.Categories, c)
	}
	return out, nil
}
