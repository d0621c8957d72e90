# A real SMTP server on 127.0.0.1 for t0740 (python3-aiosmtpd): writes each
# message it receives to DIR/msgN.eml and its envelope to DIR/envN, the port
# it listens on to DIR/port, and stops when DIR/stop appears.
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller

out = sys.argv[1]


class Sink:
    def __init__(self):
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        with open(os.path.join(out, "msg%d.eml" % self.n), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(out, "env%d" % self.n), "w") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n")
        return "250 OK"


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
c = Controller(Sink(), hostname="127.0.0.1", port=port)
c.start()
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
deadline = time.time() + 300
while not os.path.exists(os.path.join(out, "stop")) and time.time() < deadline:
    time.sleep(0.1)
c.stop()
