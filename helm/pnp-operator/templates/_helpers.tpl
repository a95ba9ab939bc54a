{{/*
Resource names: <release>-pnp-<part>. A name longer than the 63 characters a Service or label allows keeps its
part whole and cuts the release name, followed by a hash of it: two parts never collide, two long release
names neither.
*/}}
{{- define "pnp.name" -}}
{{- $full := printf "%s-pnp-%s" .root.Release.Name .part -}}
{{- if le (len $full) 63 -}}
{{- $full -}}
{{- else -}}
{{- $keep := sub 63 (add (len .part) 10) | int -}}
{{- $hash := printf "%s %s" .root.Release.Name .part | sha256sum | trunc 8 -}}
{{- if gt $keep 0 -}}
{{- printf "%s-%s-%s" (.root.Release.Name | trunc $keep | trimSuffix "-") $hash .part -}}
{{- else -}}
{{- printf "%s-%s" $hash .part | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object: the recommended app.kubernetes.io set. */}}
{{- define "pnp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: pnp-operator
app.kubernetes.io/component: {{ .part }}
{{- end -}}

{{/* The labels that select one component's pods: stable across upgrades. */}}
{{- define "pnp.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .part }}
{{- end -}}

{{/* repository:tag, repository:tag@digest, or repository@digest with no tag given for a third party's image. */}}
{{- define "pnp.image" -}}
{{- $tag := .image.tag | default (.default | default "") -}}
{{- .image.repository -}}
{{- if $tag }}:{{ $tag }}{{ end -}}
{{- if .image.digest }}@{{ .image.digest }}{{ end -}}
{{- end -}}

{{- define "pnp.artifactsClaim" -}}
{{- default (include "pnp.name" (dict "root" . "part" "artifacts")) .Values.artifacts.existingClaim -}}
{{- end -}}

{{/* Pod security for every container of the chart: non-root, no privileges, read-only root filesystem. The ids
only where podSecurityContext gives them (null: the platform's, as OpenShift assigns them). */}}
{{- define "pnp.podSecurityContext" -}}
runAsNonRoot: true
{{- with .Values.podSecurityContext }}
{{- with .runAsUser }}
runAsUser: {{ . }}
{{- end }}
{{- with .runAsGroup }}
runAsGroup: {{ . }}
{{- end }}
{{- with .fsGroup }}
fsGroup: {{ . }}
{{- end }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pnp.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- define "pnp.scrapeAnnotations" -}}
{{- if and .root.Values.metrics.podAnnotations (not .root.Values.metrics.serviceMonitor.enabled) }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: {{ .path }}
{{- end }}
{{- end -}}

{{/* The Lease of the endpoint's install slots: made by the chart, named to the endpoint, the only one it may write. */}}
{{- define "pnp.installSlotsLease" -}}
{{ include "pnp.name" (dict "root" . "part" "install-slots") }}
{{- end }}
