{{- define "ferry-agent.name" -}}{{ printf "ferry-agent-%s" .Values.identifier | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "ferry-agent.labels" -}}
app.kubernetes.io/name: ferry-agent
app.kubernetes.io/instance: {{ .Release.Name }}
ferry.dev/agent: {{ .Values.identifier | quote }}
{{- end -}}
{{- define "ferry-agent.secret" -}}{{ default (include "ferry-agent.name" .) .Values.credentials.existingSecret }}{{- end -}}
