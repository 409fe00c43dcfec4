// Reading bulk-invitation files: RFC 4180 through libcsv, the three heading
// layouts, BOMs, CRLF, blank lines, and text that is not CSV at all.
#include "core/csv_field.h"
#include "invitations/bulk_csv.h"

#include <gtest/gtest.h>

namespace gh::invitations {
namespace {

struct Record {
  int64_t number;
  std::vector<std::string> fields;
};

std::vector<Record> Read(std::string_view text, size_t piece = 0) {
  std::vector<Record> out;
  CsvReader reader([&](int64_t n, std::vector<std::string>& f) {
    out.push_back({n, f});
    return true;
  });
  if (piece == 0) {
    EXPECT_TRUE(reader.Feed(text).ok());
  } else {
    for (size_t i = 0; i < text.size(); i += piece) EXPECT_TRUE(reader.Feed(text.substr(i, piece)).ok());
  }
  EXPECT_TRUE(reader.Finish().ok());
  return out;
}

constexpr std::string_view kEntra =
    "version:v1.0,,,\r\n"
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n"
    "ann@partner.example,https://myapps.microsoft.com,true,\"Hello, Ann\r\nSee you \"\"soon\"\"\"\r\n"
    "\r\n"
    "bob@partner.example,https://myapps.microsoft.com,false,\r\n";

TEST(BulkCsvTest, EntraTemplateQuotedCommasNewlinesAndBlankLines) {
  auto records = Read(kEntra);
  ASSERT_EQ(records.size(), 5u);  // the blank line is an empty record: numbers match the spreadsheet's rows
  EXPECT_TRUE(records[3].fields.empty() || IsEmptyRecord(records[3].fields));
  EXPECT_TRUE(IsVersionRecord(records[0].fields));
  auto layout = LayoutOf(records[1].fields);
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  EXPECT_EQ(layout->format, BulkFormat::kEntraTemplate);
  EXPECT_EQ(layout->email, 0);
  EXPECT_EQ(layout->redirect, 1);
  EXPECT_EQ(layout->send_email, 2);
  EXPECT_EQ(layout->message, 3);
  EXPECT_EQ(layout->name, -1);
  BulkRow ann = RowOf(*layout, records[2].number, records[2].fields);
  EXPECT_EQ(ann.row, 3);
  EXPECT_EQ(ann.email, "ann@partner.example");
  EXPECT_EQ(ann.message, "Hello, Ann\r\nSee you \"soon\"");
  EXPECT_EQ(RowOf(*layout, records[4].number, records[4].fields).row, 5);
  EXPECT_EQ(RowOf(*layout, records[4].number, records[4].fields).send_email, "false");
}

TEST(BulkCsvTest, SameRecordsWhenFedOneByteAtATime) {
  std::string with_bom = "\xEF\xBB\xBF" + std::string(kEntra) + "zoë@partner.example,https://x.example,,Grüße\n";
  auto whole = Read(with_bom);
  auto bytewise = Read(with_bom, 1);
  ASSERT_EQ(whole.size(), bytewise.size());
  for (size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(whole[i].fields, bytewise[i].fields);
  EXPECT_EQ(whole[0].fields[0], "version:v1.0");  // the BOM is gone
  EXPECT_EQ(whole.back().fields[3], "Grüße");
}

TEST(BulkCsvTest, NewerTemplateWithInviteeNameAndExtraColumns) {
  auto layout = LayoutOf({"Name of invitee [inviteeName]", "Email address to invite [inviteeEmail] Required",
                          "Notes", "Redirection url [inviteRedirectURL] Required"});
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->name, 0);
  EXPECT_EQ(layout->email, 1);
  EXPECT_EQ(layout->redirect, 3);
  EXPECT_EQ(layout->send_email, -1);
}

TEST(BulkCsvTest, PowerShellSample) {
  auto records = Read("Name,InvitedUserEmailAddress\nAnn Lee,ann@partner.example\n");
  auto layout = LayoutOf(records[0].fields);
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->format, BulkFormat::kPowerShellSample);
  BulkRow row = RowOf(*layout, records[1].number, records[1].fields);
  EXPECT_EQ(row.name, "Ann Lee");
  EXPECT_EQ(row.email, "ann@partner.example");
  EXPECT_EQ(row.redirect, "");
}

TEST(BulkCsvTest, GatehouseHeadingIsCaseInsensitive) {
  auto layout = LayoutOf({"Email", "DisplayName", "Groups", "RedirectUrl", "SendEmail", "Message"});
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->format, BulkFormat::kGatehouse);
  EXPECT_EQ(layout->groups, 2);
  EXPECT_EQ(layout->message, 5);
}

TEST(BulkCsvTest, HeadingWithoutAnAddressColumnIsRefused) {
  auto layout = LayoutOf({"Name", "Company"});
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.status().code(), Code::kInvalidArgument);
  EXPECT_NE(layout.status().message().find("InvitedUserEmailAddress"), std::string::npos);
  auto entra = LayoutOf({"Email address to invite [inviteeEmail] Required"});
  ASSERT_FALSE(entra.ok());
  EXPECT_NE(entra.status().message().find("inviteRedirectURL"), std::string::npos);
}

TEST(BulkCsvTest, BinaryAndNonUtf8AndBrokenQuotesAreNotCsv) {
  auto refuse = [](std::string_view text) {
    Status st = ReadCsv(text, [](int64_t, std::vector<std::string>&) { return true; });
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << text;
    return st.message();
  };
  EXPECT_NE(refuse(std::string("PK\x03\x04\x00\x00\x08\x00", 8)).find("not a CSV text file"), std::string::npos);
  EXPECT_NE(refuse("email\nann@x.example,\xff\xfe\n").find("not a CSV text file"), std::string::npos);
  EXPECT_NE(refuse("email\n\"ann@x.example\n").find("quoted"), std::string::npos);
  refuse("email\nan\"n@x.example\n");  // a stray quote in an unquoted field
}

TEST(BulkCsvTest, EmptyRecordsAndFieldQuoting) {
  EXPECT_TRUE(IsEmptyRecord({"", " ", ""}));
  EXPECT_FALSE(IsEmptyRecord({"", "x"}));
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
}

}  // namespace
}  // namespace gh::invitations
