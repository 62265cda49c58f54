import ArgumentParser

@main
struct Alifeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alifeed",
        abstract: "Turn the AliExpress Open Platform into product catalogs and storefront feeds.",
        subcommands: [SandboxCommand.self, SignCommand.self])
}
