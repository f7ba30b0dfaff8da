package answer

// DNS response codes of a [Resolution].
const (
	NoError  = "NOERROR"
	NXDomain = "NXDOMAIN"
	ServFail = "SERVFAIL"
)

// Resolution is the answer of `vnetpath resolve` (SPEC §5): what a name
// resolves to from a VNet, through which resolver, chain and zone. When it
// fails or bypasses a private endpoint, Blocker says why (and Reason is its
// sentence) and Fixes holds the changes that repair it.
type Resolution struct {
	Name        string    `json:"name"`
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
	Type   string `json:"type"`   // FORWARD, CNAME, A, AAAA, NXDOMAIN, PUBLIC
	Value  string `json:"value"`  // the target, addresses or explanation
	Source string `json:"source"` // who answered: public DNS, a zone and its link, a forwarding rule
}
