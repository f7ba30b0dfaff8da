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
		StorageAccount      *string
		KeyVault            *string
		ContainerRegistry   *string
		ManagedNetwork      *struct {
			IsolationMode *string
			Status        *struct {
				Status *string
			}
			OutboundRules map[string]outboundRule
		}
		PrivateEndpointConnections []struct {
			Properties *struct {
				PrivateEndpoint *struct{ ID *string }
			}
		}
		ProvisioningState *string
	}
}

// outboundRule is a rule of a workspace's managed network, one of
// *fqdnOutboundRule, *serviceTagOutboundRule and *peOutboundRule by its
// "type", else *baseOutboundRule.
type outboundRule interface{ outboundRuleType() string }

// baseOutboundRule is an outbound rule of a type vnetpath does not know.
type baseOutboundRule struct {
	Type     *string
	Category *string
	Status   *string
}

// fqdnOutboundRule allows an FQDN (ports 80 and 443).
type fqdnOutboundRule struct {
	Type        *string
	Category    *string
	Status      *string
	Destination *string
}

// serviceTagOutboundRule allows a service tag on a protocol and ports.
type serviceTagOutboundRule struct {
	Type        *string
	Category    *string
	Status      *string
	Destination *struct {
		ServiceTag      *string
		Protocol        *string
		PortRanges      *string
		Action          *string
		AddressPrefixes []*string
	}
}

// peOutboundRule is a private endpoint from the managed network to a
// resource.
type peOutboundRule struct {
	Type        *string
	Category    *string
	Status      *string
	Destination *struct {
		ServiceResourceID *string
		SubresourceTarget *string
		SparkEnabled      *bool
	}
}

func (r *baseOutboundRule) outboundRuleType() string       { return str(r.Type) }
func (r *fqdnOutboundRule) outboundRuleType() string       { return str(r.Type) }
func (r *serviceTagOutboundRule) outboundRuleType() string { return str(r.Type) }
func (r *peOutboundRule) outboundRuleType() string         { return str(r.Type) }
