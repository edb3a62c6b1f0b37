package ecstest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestPage(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e"}
	id := func(s string) string { return s }
	tests := []struct {
		name     string
		size     int
		desc     bool
		wantPage [][]string
	}{
		{"one page", 100, false, [][]string{items}},
		{"pages of two", 2, false, [][]string{{"a", "b"}, {"c", "d"}, {"e"}}},
		{"exact fit", 5, false, [][]string{items}},
		{"descending", 2, true, [][]string{{"e", "d"}, {"c", "b"}, {"a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := slices.Clone(items)
			if tt.desc {
				slices.Reverse(list)
			}
			var got [][]string
			token := ""
			for {
				p, err := readPage("Op", &tt.size, token)
				require.NoError(t, err)
				pg, next := page(p, list, id, tt.desc)
				got = append(got, pg)
				if next == "" {
					break
				}
				token = next
			}
			if diff := cmp.Diff(tt.wantPage, got); diff != "" {
				t.Fatalf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPageResumesAfterChange(t *testing.T) {
	p, err := readPage("Op", ptr(2), "")
	require.NoError(t, err)
	pg, next := page(p, []string{"a", "b", "c", "d"}, func(s string) string { return s }, false)
	require.Equal(t, []string{"a", "b"}, pg)
	// "b" is gone and "ba" came: the next page starts after "b" all the same.
	p, err = readPage("Op", ptr(2), next)
	require.NoError(t, err)
	pg, _ = page(p, []string{"a", "ba", "c", "d"}, func(s string) string { return s }, false)
	require.Equal(t, []string{"ba", "c"}, pg)
}

func TestReadPageRefuses(t *testing.T) {
	p, _ := readPage("Other", ptr(1), "")
	_, foreign := page(p, []string{"a", "b"}, func(s string) string { return s }, false)
	for name, tc := range map[string]struct {
		max   *int
		token string
	}{
		"maxResults 0":         {ptr(0), ""},
		"maxResults 101":       {ptr(101), ""},
		"token not base64":     {nil, "%%%"},
		"token of another op":  {nil, foreign},
		"token without a key":  {nil, "T3A"},
		"token that is random": {nil, "aGVsbG8"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readPage("Op", tc.max, tc.token)
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, ecs.InvalidParameterException, apiErr.Type)
		})
	}
}

// TestListsPaginate walks every list operation page by page over the API.
func TestListsPaginate(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	for i := range 7 {
		c.call("CreateCluster", ecs.CreateClusterRequest{ClusterName: fmt.Sprintf("c%d", i)}, nil)
		register(t, e, "m5.large", "us-east-1a")
		for range 3 {
			c.call("RegisterTaskDefinition", ecs.RegisterTaskDefinitionRequest{
				Family:               fmt.Sprintf("fam%d", i),
				ContainerDefinitions: []ecs.ContainerDefinition{{Name: "a", Image: "nginx", Memory: ptr(64)}},
			}, nil)
		}
	}
	type listed struct {
		op    string
		in    func(max int, token string) any
		items func(data []byte) ([]string, string)
		want  int
	}
	lists := []listed{
		{"ListClusters", func(m int, tok string) any { return ecs.ListClustersRequest{MaxResults: &m, NextToken: tok} },
			func(d []byte) ([]string, string) {
				var out ecs.ListClustersResponse
				require.NoError(t, ecs.Unmarshal(d, &out))
				return out.ClusterARNs, out.NextToken
			}, 8},
		{"ListContainerInstances", func(m int, tok string) any { return ecs.ListContainerInstancesRequest{MaxResults: &m, NextToken: tok} },
			func(d []byte) ([]string, string) {
				var out ecs.ListContainerInstancesResponse
				require.NoError(t, ecs.Unmarshal(d, &out))
				return out.ContainerInstanceARNs, out.NextToken
			}, 7},
		{"ListTaskDefinitions", func(m int, tok string) any {
			return ecs.ListTaskDefinitionsRequest{MaxResults: &m, NextToken: tok, Sort: "DESC"}
		},
			func(d []byte) ([]string, string) {
				var out ecs.ListTaskDefinitionsResponse
				require.NoError(t, ecs.Unmarshal(d, &out))
				return out.TaskDefinitionARNs, out.NextToken
			}, 21},
		{"ListTaskDefinitionFamilies", func(m int, tok string) any {
			return ecs.ListTaskDefinitionFamiliesRequest{MaxResults: &m, NextToken: tok}
		},
			func(d []byte) ([]string, string) {
				var out ecs.ListTaskDefinitionFamiliesResponse
				require.NoError(t, ecs.Unmarshal(d, &out))
				return out.Families, out.NextToken
			}, 7},
		{"ListAttributes", func(m int, tok string) any {
			return ecs.ListAttributesRequest{TargetType: "container-instance", AttributeName: "ecs.instance-type", MaxResults: &m, NextToken: tok}
		},
			func(d []byte) ([]string, string) {
				var out ecs.ListAttributesResponse
				require.NoError(t, ecs.Unmarshal(d, &out))
				var ids []string
				for _, a := range out.Attributes {
					ids = append(ids, a.TargetID)
				}
				return ids, out.NextToken
			}, 7},
	}
	for _, l := range lists {
		t.Run(l.op, func(t *testing.T) {
			_, data := c.raw(l.op, mustMarshal(t, l.in(100, "")))
			all, next := l.items(data)
			require.Len(t, all, l.want)
			require.Empty(t, next)
			var paged []string
			token := ""
			for pages := 0; ; pages++ {
				require.Less(t, pages, l.want, "pagination does not end")
				status, data := c.raw(l.op, mustMarshal(t, l.in(3, token)))
				require.Equal(t, 200, status, string(data))
				items, next := l.items(data)
				require.LessOrEqual(t, len(items), 3)
				paged = append(paged, items...)
				if next == "" {
					break
				}
				token = next
			}
			if diff := cmp.Diff(all, paged); diff != "" {
				t.Fatalf("pages differ from the whole list (-whole +pages):\n%s", diff)
			}
		})
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	data, err := ecs.Marshal(v)
	require.NoError(t, err)
	return data
}
