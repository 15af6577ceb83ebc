import FakeECR
import FuzzSupport

// The fake's accounts file (`fake-ecr serve --accounts FILE`). A refused file is an `InputFileError`.
FuzzDriver.run { data in
    do {
        let file = try AccountsFile.parse(data, file: "accounts.json")
        for account in file.accounts {
            _ = account.description
            for role in account.assumableRoles ?? [] { _ = RoleArn(role) }
        }
    } catch is InputFileError {
    } catch {
        FuzzDriver.fail("AccountsFile.parse threw \(type(of: error)), not InputFileError: \(error)")
    }
}
