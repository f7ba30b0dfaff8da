package answer

// DNS response codes of a [Resolution].
const (
	NoError  = "NOERROR"
	NXDomain = "NXDOMAIN"
	ServFail = "SERVFAIL"
	// RcodeUnknown is not a DNS response code: the answer depends on what
	// the snapshot lacks (a zone's record sets, a resolver's VNet), and
	// Blocker says which (verdict unknown).
	RcodeUnknown = "UNKNOWN"
)

// Resolution is the answer of `vnetpath resolve` (SPEC §5): what a name
// resolves to from a VNet, through which resolver, chain and zone; for a
// reverse lookup (Type PTR) the names an address has. When it fails,
// bypasses a private endpoint or depends on what the snapshot lacks
// (Rcode [RcodeUnknown]), Blocker says why (and Reason is its sentence) and
// Fixes holds the changes that repair it.
type Resolution struct {
	Name        string    `json:"name"`
	Type        string    `json:"type,omitempty"`    // the query type when it is not A/AAAA: PTR for a reverse lookup
	Address     string    `json:"address,omitempty"` // the address a reverse lookup asks about
	Names       []string  `json:"names,omitempty"`   // the names a reverse lookup answers (PTR)
	From        string    `json:"from"`
	Resolver    string    `json:"resolver"`
	Chain       []DNSStep `json:"chain"`
	Addresses   []string  `json:"addresses"`
	Zone        string    `json:"zone,omitempty"`
	Rcode       string    `json:"rcode"`
	Public      bool      `json:"public,omitempty"`    // the answer is the name's public address
	PublicTag   string    `json:"publicTag,omitempty"` // the service tag public addresses of the name belong to
	Expected    []string  `json:"expected,omitempty"`  // private addresses a private endpoint serves the name at
	Endpoint    string    `json:"privateEndpoint,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Blocker     *Blocker  `json:"blocker,omitempty"`
	Fixes       []Fix     `json:"fixes,omitempty"`
	Assumptions []string  `json:"assumptions,omitempty"`
	Warnings    []string  `json:"warnings,omitempty"`
}

// DNSStep is one step of a resolution: a forward, a CNAME or an answer.
type DNSStep struct {
	Name   string `json:"name"`
	Type   string `json:"type"`   // FORWARD, CNAME, A, AAAA, PTR, NXDOMAIN, PUBLIC, UNKNOWN
	Value  string `json:"value"`  // the target, addresses or explanation
	Source string `json:"source"` // who answered: public DNS, a zone and its link, a forwarding rule
}

// ReverseLookup is the reverse lookup (PTR) of one address from a source:
// whether it answers, with which names, and, when it does not, why and the
// change that makes it (reference §10 item 36).
type ReverseLookup struct {
	Address  string   `json:"address"`
	Expected string   `json:"expected,omitempty"` // the name the address should reverse to (the FQDN a private endpoint serves there)
	Names    []string `json:"names"`
	Rcode    string   `json:"rcode"`
	Zone     string   `json:"zone,omitempty"`   // the reverse zone that answered
	Reason   string   `json:"reason,omitempty"` // why it does not answer
	Fix      *Fix     `json:"fix,omitempty"`    // the PTR record or zone link that makes it answer
}
