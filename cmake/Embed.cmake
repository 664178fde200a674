# pnode_embed(TARGET t SYMBOL name FILE path): compiles the file at `path` into target `t`
# as `std::string_view pnode::embedded::name()` (declare it where it is used). The
# generated source is rebuilt when the file changes.
set(PNODE_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_file.cmake)

function(pnode_embed)
  cmake_parse_arguments(E "" "TARGET;SYMBOL;FILE" "" ${ARGN})
  get_filename_component(input ${E_FILE} ABSOLUTE)
  file(RELATIVE_PATH input_name ${CMAKE_SOURCE_DIR} ${input})
  set(output ${CMAKE_BINARY_DIR}/embedded/${E_SYMBOL}.cc)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DINPUT_NAME=${input_name} -DOUTPUT=${output}
            -DSYMBOL=${E_SYMBOL} -P ${PNODE_EMBED_SCRIPT}
    DEPENDS ${input} ${PNODE_EMBED_SCRIPT}
    COMMENT "Embedding ${input_name}"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${output})
  set_source_files_properties(${output} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
