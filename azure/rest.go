package azure

// Local mirrors of the REST schemas whose SDK modules (armdnsresolver and
// armmachinelearning) vnetpath does not depend on. They hold only the
// fields vnetpath reads, spelled as the REST API spells them (the decoder
// matches keys case-insensitively); other fields are skipped.

// subResource is a reference to another resource.
type subResource struct {
	ID *string
}

// dnsResolver mirrors Microsoft.Network/dnsResolvers (API 2022-07-01).
type dnsResolver struct {
	ID         *string
	Name       *string
	Type       *string
	Location   *string
	Properties *struct {
		VirtualNetwork    *subResource
		DNSResolverState  *string
		ProvisioningState *string
	}
}

// inboundEndpoint mirrors Microsoft.Network/dnsResolvers/inboundEndpoints.
type inboundEndpoint struct {
	ID         *string
	Name       *string
	Type       *string
	Location   *string
	Properties *struct {
		IPConfigurations []*struct {
			PrivateIPAddress          *string
			PrivateIPAllocationMethod *string
			Subnet                    *subResource
		}
		ProvisioningState *string
	}
}

// outboundEndpoint mirrors Microsoft.Network/dnsResolvers/outboundEndpoints.
type outboundEndpoint struct {
	ID         *string
	Name       *string
	Type       *string
	Location   *string
	Properties *struct {
		Subnet            *subResource
		ProvisioningState *string
	}
}

// forwardingRuleset mirrors Microsoft.Network/dnsForwardingRulesets.
type forwardingRuleset struct {
	ID         *string
	Name       *string
	Type       *string
	Location   *string
	Properties *struct {
		DNSResolverOutboundEndpoints []*subResource
		ProvisioningState            *string
	}
}

// forwardingRule mirrors Microsoft.Network/dnsForwardingRulesets/forwardingRules.
type forwardingRule struct {
	ID         *string
	Name       *string
	Type       *string
	Properties *struct {
		DomainName       *string
		TargetDNSServers []*struct {
			IPAddress *string
			Port      *int32
		}
		ForwardingRuleState *string
		Metadata            map[string]*string
		ProvisioningState   *string
	}
}

// rulesetLink mirrors Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks.
type rulesetLink struct {
	ID         *string
	Name       *string
	Type       *string
	Properties *struct {
		VirtualNetwork    *subResource
		Metadata          map[string]*string
		ProvisioningState *string
	}
}

// workspace mirrors Microsoft.MachineLearningServices/workspaces (API
// 2024-10-01).
type workspace struct {
	ID         *string
	Name       *string
	Type       *string
	Location   *string
	Kind       *string
	Properties *struct {
		WorkspaceID         *string
		FriendlyName        *string
		PublicNetworkAccess *string
		DiscoveryURL        *string
		ManagedNetwork      *struct {
			IsolationMode *string
		}
		ProvisioningState *string
	}
}
