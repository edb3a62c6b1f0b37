package ecs

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// registerRevisions registers n revisions of family in r.
func registerRevisions(t *testing.T, r *Registry, family string, n int) {
	t.Helper()
	for range n {
		_, err := r.Register(sleepTD(family), nil)
		require.NoError(t, err)
	}
}

func TestRegistryDelete(t *testing.T) {
	tests := []struct {
		name       string
		prepare    func(r *Registry)
		ref        string
		wantStatus TaskDefinitionStatus
		wantErr    error
		wantMsg    string
	}{
		{
			name:       "an INACTIVE revision is DELETE_IN_PROGRESS",
			prepare:    func(r *Registry) { r.Deregister("web:1") },
			ref:        "web:1",
			wantStatus: TaskDefinitionStatusDeleteInProgress,
		},
		{
			name: "by ARN",
			prepare: func(r *Registry) {
				r.Deregister("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2")
			},
			ref:        "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2",
			wantStatus: TaskDefinitionStatusDeleteInProgress,
		},
		{
			name: "twice is the same",
			prepare: func(r *Registry) {
				r.Deregister("web:1")
				r.Delete("web:1")
			},
			ref:        "web:1",
			wantStatus: TaskDefinitionStatusDeleteInProgress,
		},
		{
			name:    "an ACTIVE revision is refused",
			ref:     "web:1",
			wantErr: ErrInvalid,
			wantMsg: "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
		},
		{name: "a family without a revision is refused", ref: "web", wantErr: ErrInvalid},
		{name: "an unknown revision", ref: "web:9", wantErr: ErrNotFound},
		{name: "an unknown family", ref: "api:1", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRegistry()
			registerRevisions(t, r, "web", 2)
			if tt.prepare != nil {
				tt.prepare(r)
			}
			got, err := r.Delete(tt.ref)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				require.Equal(t, ClientException, apiErr.Type)
				if tt.wantMsg != "" {
					require.Equal(t, tt.wantMsg, apiErr.Message)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, got.Status)
			require.True(t, got.DeleteRequestedAt.Equal(fixedClock()()))
			again, err := r.Describe(tt.ref)
			require.NoError(t, err)
			require.Empty(t, cmp.Diff(got, again), "the revision is described as deleted")
		})
	}
}

func TestRegistryPurge(t *testing.T) {
	r := newTestRegistry()
	registerRevisions(t, r, "web", 3)
	registerRevisions(t, r, "api", 1)
	require.NoError(t, r.SetTags("web:1", []Tag{{Key: "team", Value: "a"}}))
	for _, ref := range []string{"web:1", "web:2"} {
		_, err := r.Deregister(ref)
		require.NoError(t, err)
	}
	_, err := r.Delete("web:1")
	require.NoError(t, err)

	require.ErrorIs(t, r.Purge("web:2"), ErrInvalid, "an INACTIVE revision is not purged")
	require.ErrorIs(t, r.Purge("web:3"), ErrInvalid, "an ACTIVE revision is not purged")
	require.NoError(t, r.Purge("web:1"))
	require.ErrorIs(t, r.Purge("web:1"), ErrNotFound, "a purged revision is gone")

	_, err = r.Describe("web:1")
	require.ErrorIs(t, err, ErrNotFound)
	require.Empty(t, r.Tags("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1"), "its tags go with it")
	var listed []string
	for td := range r.TaskDefinitions("web", "") {
		listed = append(listed, td.TaskDefinitionARN)
	}
	require.Equal(t, []string{
		"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2",
		"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3",
	}, listed)
	td, err := r.Describe("web")
	require.NoError(t, err)
	require.Equal(t, 3, td.Revision, "the latest ACTIVE revision is still found")

	// Delete the rest of the family: its name is listed no more, but its
	// numbers are kept.
	for _, ref := range []string{"web:2", "web:3"} {
		if ref == "web:3" {
			_, err := r.Deregister(ref)
			require.NoError(t, err)
		}
		_, err := r.Delete(ref)
		require.NoError(t, err)
		require.NoError(t, r.Purge(ref))
	}
	require.Equal(t, []string{"api"}, slices.Collect(r.Families("")))
	_, err = r.Describe("web")
	require.ErrorIs(t, err, ErrNotFound, "a family with no revision left is not found")
	require.False(t, errors.Is(err, ErrInactive))
	next, err := r.Register(sleepTD("web"), nil)
	require.NoError(t, err)
	require.Equal(t, 4, next.Revision, "revision numbers are never given again")
}

func TestRegistrySetTags(t *testing.T) {
	r := newTestRegistry()
	registerRevisions(t, r, "web", 1)
	arn := "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1"
	tests := []struct {
		name    string
		ref     string
		tags    []Tag
		want    []Tag
		wantErr error
	}{
		{name: "by revision", ref: "web:1", tags: []Tag{{Key: "a", Value: "1"}}, want: []Tag{{Key: "a", Value: "1"}}},
		{name: "by ARN", ref: arn, tags: []Tag{{Key: "b", Value: "2"}}, want: []Tag{{Key: "b", Value: "2"}}},
		{name: "none", ref: "web:1", tags: nil, want: nil},
		{name: "no revision", ref: "web", tags: []Tag{{Key: "a"}}, wantErr: ErrInvalid},
		{name: "unknown", ref: "web:2", tags: []Tag{{Key: "a"}}, wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.SetTags(tt.ref, tt.tags)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Empty(t, cmp.Diff(tt.want, r.Tags(arn)))
		})
	}
}
