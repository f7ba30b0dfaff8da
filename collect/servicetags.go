package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
)

// ServiceTagsOptions say where [FetchServiceTags] reads the catalog.
// Location and Credential are required.
type ServiceTagsOptions struct {
	// Location is the region the request names ("westeurope"). Azure
	// answers with the tags of every region of the subscription's cloud;
	// the location picks the version of the catalog.
	Location string
	// Subscription is the subscription the request is made in. Empty: the
	// first subscription the credential can read.
	Subscription  string
	Credential    azcore.TokenCredential
	ClientOptions *arm.ClientOptions
}

// FetchServiceTags reads the service-tag catalog with the Service Tag
// Discovery API (armnetwork's ServiceTagsClient, a GET) and returns it as
// JSON, as the SDK marshals it: the Discovery API shape
// ({"changeNumber", "cloud", "values": [...]}) that servicetags.Parse reads.
// Pages, if Azure ever splits the answer, are joined.
func FetchServiceTags(ctx context.Context, opts ServiceTagsOptions) ([]byte, error) {
	if strings.TrimSpace(opts.Location) == "" {
		return nil, errors.New("no location given (such as westeurope)")
	}
	if opts.Credential == nil {
		return nil, errors.New("no credential given")
	}
	copts := pipelineOptions(opts.ClientOptions, func() {})
	sub := opts.Subscription
	if sub == "" {
		s, err := firstSubscription(ctx, opts.Credential, &copts)
		if err != nil {
			return nil, err
		}
		sub = s
	} else {
		subs, err := cleanSubscriptions([]string{sub})
		if err != nil {
			return nil, err
		}
		sub = subs[0]
	}
	client, err := armnetwork.NewServiceTagsClient(sub, opts.Credential, &copts)
	if err != nil {
		return nil, err
	}
	resp, err := client.List(ctx, opts.Location, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the service tags of %s in subscription %s: %w", opts.Location, sub, fatal(err))
	}
	result := resp.ServiceTagsListResult
	if next := deref(result.NextLink); next != "" {
		rest, err := newRESTClient(opts.Credential, &copts)
		if err != nil {
			return nil, err
		}
		for next != "" {
			body, err := rest.next(ctx, next)
			if err != nil {
				return nil, fmt.Errorf("reading the next page of service tags: %w", err)
			}
			var page armnetwork.ServiceTagsListResult
			if err := json.Unmarshal(body, &page); err != nil {
				return nil, fmt.Errorf("reading the next page of service tags: %w", err)
			}
			result.Values = append(result.Values, page.Values...)
			next = deref(page.NextLink)
		}
		result.NextLink = nil
	}
	return json.MarshalIndent(result, "", "  ")
}

// firstSubscription returns the ID of the first enabled subscription the
// credential can read.
func firstSubscription(ctx context.Context, cred azcore.TokenCredential, copts *arm.ClientOptions) (string, error) {
	client, err := armsubscriptions.NewClient(cred, copts)
	if err != nil {
		return "", err
	}
	pager := client.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("listing the subscriptions the credential can read: %w", fatal(err))
		}
		for _, s := range page.Value {
			if s != nil && s.SubscriptionID != nil && strings.EqualFold(string(deref(s.State)), "Enabled") {
				return *s.SubscriptionID, nil
			}
		}
	}
	return "", errors.New("the credential can read no enabled subscription; name one with --subscription")
}

// DefaultCredential returns the Azure SDK's DefaultAzureCredential: it
// tries in turn the environment (a service principal's AZURE_TENANT_ID,
// AZURE_CLIENT_ID and secret or certificate), workload identity, managed
// identity, the Azure CLI ('az login'), the Azure Developer CLI and Azure
// PowerShell.
func DefaultCredential() (azcore.TokenCredential, error) {
	return azidentity.NewDefaultAzureCredential(nil)
}
