# tests/system/debug.sh's gdb session (scripts/debug.sh --batch): the worked
# example of docs/debugging.md. Each "mt-test:" line marks a step for the
# script's checks.
echo mt-test: break in the TA\n
mt-break-ta 23921ad1-1fd1-480a-963a-a82f9491ca6c TA_InvokeCommandEntryPoint
continue
bt 2
mt-ps
echo mt-test: on into TEE_DigestDoFinal\n
mt-break-ta 23921ad1-1fd1-480a-963a-a82f9491ca6c TEE_DigestDoFinal
continue
bt 2
step
bt 1
echo mt-test: on into the crypto service\n
mt-break-process crypto op_final
continue
bt 3
mt-ps
echo mt-test: done\n
kill
