"""Sample post-provisioning script, run in the guestshell as the workflow's last step.

Replace it with your own: it is copied to bootflash:guest-share/pxs.py and run with
`guestshell run python3 bootflash:guest-share/pxs.py`.
"""
import socket

print("pnp-operator: guestshell script ran on", socket.gethostname())
