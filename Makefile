# The two commands of the README's quick start. Each installs missing Debian packages, configures
# with CMake and Ninja, and builds before doing its job.
BUILD ?= build
JOBS ?= 2

.PHONY: run test build deps configure format clean data

run: build
	./$(BUILD)/sgdsim run scenarios/quickstart.yaml

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

configure: deps
	@[ -f $(BUILD)/build.ninja ] || cmake -S . -B $(BUILD) -G Ninja -DSGDSIM_WERROR=ON

deps:
	@bash scripts/install-deps.sh

# The real datasets (Fashion-MNIST, SpamAssassin) into $(SGDSIM_DATA) or .cache/data.
data:
	@bash scripts/fetch-data.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
