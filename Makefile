# ctrack: top-level Makefile. See README.md.
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
PREFIX ?= /usr/local
DESTDIR ?=
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION := $(shell sed -n 's/.*CTRACK_VERSION "\(.*\)"/\1/p' kmod/version.h)

.PHONY: all module tools install uninstall dkms-install dkms-uninstall \
	check demo bench fuzz stress clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools:
	$(MAKE) -C tools

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KERNELRELEASE)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

uninstall:
	rm -f /lib/modules/$(KERNELRELEASE)/extra/ctrack.ko*
	depmod -a $(KERNELRELEASE)
	$(MAKE) -C tools uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

dkms-install:
	-dkms remove -m ctrack -v $(VERSION) --all 2>/dev/null
	rm -rf /usr/src/ctrack-$(VERSION)
	mkdir -p /usr/src/ctrack-$(VERSION)/tests
	cp -r Kbuild Makefile dkms.conf kmod /usr/src/ctrack-$(VERSION)/
	cp -r tests/kunit /usr/src/ctrack-$(VERSION)/tests/
	dkms add -m ctrack -v $(VERSION)
	dkms build -m ctrack -v $(VERSION) -k $(KERNELRELEASE)
	dkms install -m ctrack -v $(VERSION) -k $(KERNELRELEASE)

dkms-uninstall:
	dkms remove -m ctrack -v $(VERSION) --all
	rm -rf /usr/src/ctrack-$(VERSION)

check:
	tests/check.sh

demo:
	tests/demo.sh

bench:
	tests/bench.sh

fuzz:
	tests/fuzz.sh

stress:
	tests/stress.sh

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null || true
	$(MAKE) -C tools clean
