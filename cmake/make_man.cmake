# make_man.cmake: a man page from a program's own --help, at build time (cmake -P), so the pages
# cannot drift from the CLI. help2man writes the page; for `vmt` this script first collects the
# --help of every verb (and of their sub-verbs) into a VERBS section. The hand-written parts
# (files, exit status, see also) are in man/NAME.h2m.
#   -DPROGRAM=path -DNAME=vmt -DSECTION=1 -DSUMMARY="..." -DHELP2MAN=path -DINCLUDE=man/vmt.h2m
#   -DOUT=build/man/vmt.1 -DVERBS=ON|OFF
cmake_minimum_required(VERSION 3.20)

# roff-safe: a backslash doubled, a line starting with '.' or ' guarded.
function(roff_escape in out)
  string(REPLACE "\\" "\\\\" t "${in}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" t "${t}")
  set(${out} "${t}" PARENT_SCOPE)
endfunction()

# The sub-commands listed under "Subcommands:" of a --help text.
function(subcommands help out)
  set(names "")
  string(FIND "${help}" "Subcommands:" at)
  if(at GREATER -1)
    string(SUBSTRING "${help}" ${at} -1 rest)
    string(REPLACE "\n" ";" lines "${rest}")
    foreach(line IN LISTS lines)
      if(line MATCHES "^  ([a-z][a-z0-9'-]*)")
        list(APPEND names "${CMAKE_MATCH_1}")
      endif()
    endforeach()
  endif()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

function(help_of out)
  execute_process(COMMAND ${PROGRAM} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed (${rc})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(READ "${INCLUDE}" include_text)
set(generated "${include_text}")
if(VERBS)
  help_of(top)
  subcommands("${top}" verbs)
  string(APPEND generated "\n[VERBS]\nEach verb's own --help, as the program prints it.\n")
  foreach(verb IN LISTS verbs)
    help_of(text ${verb})
    roff_escape("${text}" esc)
    string(APPEND generated ".SS ${verb}\n.nf\n${esc}.fi\n")
    subcommands("${text}" subs)
    foreach(sub IN LISTS subs)
      help_of(subtext ${verb} ${sub})
      roff_escape("${subtext}" subesc)
      string(APPEND generated ".SS \"${verb} ${sub}\"\n.nf\n${subesc}.fi\n")
    endforeach()
  endforeach()
endif()
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(WRITE "${out_dir}/${NAME}.h2m" "${generated}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=${SECTION} --name=${SUMMARY}
          --include=${out_dir}/${NAME}.h2m --output=${OUT} ${PROGRAM}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed for ${NAME}")
endif()
