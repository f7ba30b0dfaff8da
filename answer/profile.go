package answer

// ProfileSource says which list of endpoints an Azure ML profile checked:
// vnetpath's built-in table, which follows Microsoft's documentation, or a
// workspace's own outboundNetworkDependenciesEndpoints answer.
type ProfileSource struct {
	Source   string `json:"source"`         // ProfileBuiltIn or ProfileFile
	File     string `json:"file,omitempty"` // the file given, for ProfileFile
	Document string `json:"document"`       // the documentation followed (title, URL and date)
	Text     string `json:"text"`           // the sentence for people
}

// Sources of a profile's endpoints.
const (
	ProfileBuiltIn = "built-in"
	ProfileFile    = "file"
)

// ConditionalAccess says whether the public address a flow to Entra ID
// leaves from lies in a trusted named location of Entra Conditional
// Access. A sign-in that "was successful but does not meet the criteria to
// access this resource" is Conditional Access refusing the address, not a
// network failure (reference §6.6, §10 item 25): this never changes a
// verdict.
type ConditionalAccess struct {
	EgressIP  string   `json:"egressIP,omitempty"`  // the public address sign-ins come from, when known
	Status    string   `json:"status"`              // CATrusted, CAUntrusted, CAOutside or CAUnknown
	Location  string   `json:"location,omitempty"`  // the trusted named location that holds the address
	Locations []string `json:"locations,omitempty"` // every IP named location that holds it
	Reason    string   `json:"reason"`              // the sentence for people
}

// Statuses of [ConditionalAccess].
const (
	CATrusted   = "trusted"   // in a trusted named location
	CAUntrusted = "untrusted" // in named locations, none of them trusted
	CAOutside   = "outside"   // in no IP named location
	CAUnknown   = "unknown"   // the egress address cannot be known offline (default outbound access) or the flow does not leave
)

// ManagedNetwork is what vnetpath can say of a workspace whose compute runs
// in a Microsoft-managed VNet (managedNetwork.isolationMode
// AllowInternetOutbound or AllowOnlyApprovedOutbound): that VNet is in no
// export, so its paths are not walked; its outbound rules are checked
// against what the compute needs (reference §6.5, §10 item 37).
type ManagedNetwork struct {
	Workspace     string               `json:"workspace"`
	IsolationMode string               `json:"isolationMode"`
	Status        string               `json:"status,omitempty"` // managedNetwork.status.status
	Summary       string               `json:"summary"`
	Required      []ManagedRequirement `json:"required,omitempty"` // approved-only mode: each required endpoint and the rule that allows it
	Rules         []ManagedRule        `json:"rules,omitempty"`    // outbound rules that are not active
	Fixes         []Fix                `json:"fixes,omitempty"`
}

// ManagedRequirement is an endpoint the compute of a managed-network
// workspace needs, and whether its outbound rules allow it.
type ManagedRequirement struct {
	Destination string `json:"destination"` // an FQDN or tag:NAME
	FQDN        string `json:"fqdn,omitempty"`
	ServiceTag  string `json:"serviceTag,omitempty"`
	Protocol    string `json:"protocol"`
	Port        int    `json:"port"`
	Purpose     string `json:"purpose,omitempty"`
	Status      string `json:"status"`         // ManagedAllowed, ManagedMissing or ManagedUnknown
	Rule        string `json:"rule,omitempty"` // the outbound rule that allows it
	Reason      string `json:"reason"`
}

// Statuses of [ManagedRequirement].
const (
	ManagedAllowed = "allowed"
	ManagedMissing = "missing"
	ManagedUnknown = "unknown"
)

// ManagedRule is an outbound rule of a managed network that does not do
// what it is for: not active, or a private endpoint not yet usable.
type ManagedRule struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Destination string `json:"destination"`
	Status      string `json:"status"`
	Reason      string `json:"reason"`
}
