# make_config_man.cmake: vmt.yaml(5) from config/vmt.yaml.example, the one documented source of
# every setting, at build time (cmake -P), so the page cannot drift from the example.
#   -DEXAMPLE=config/vmt.yaml.example -DVERSION=0.1.0 -DOUT=build/man/vmt.yaml.5
cmake_minimum_required(VERSION 3.20)
file(READ "${EXAMPLE}" example)
string(REPLACE "\\" "\\\\" example "${example}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" example "${example}")
file(WRITE "${OUT}" ".TH VMT.YAML 5 \"\" \"vmt ${VERSION}\" \"File Formats\"
.SH NAME
vmt.yaml \\- configuration of a security team's vulnerability management by mail
.SH SYNOPSIS
.I TEAM_FOLDER/vmt.yaml
.SH DESCRIPTION
.B vmt init
writes a vmt.yaml with what a new team needs. Relative paths in it are relative to its folder, the
team folder. Every setting is shown and explained below, as the shipped example
(share/vmt/config/vmt.yaml.example) documents it; errors in the file are reported with its line,
column and field, and the fix.
.SH SETTINGS
.nf
${example}.fi
.SH SEE ALSO
.BR vmt (1),
.BR vmt\\-ingest (8),
.BR vmt\\-send (8).
")
